#!/usr/bin/env python3
"""A real browser against a real gateway: Playwright driving Debian's chromium over mutual TLS.

The console's browser tests (Tests/GatewayServerTests/BrowserHarnessTests.swift and the page
tests that follow it) use this file in one of two ways:

  As a program, with a JSON list of steps on stdin (or --steps FILE); one JSON result per step
  is printed as a JSON list on stdout; the exit status is 0 when every step did what it expected:

    python3 browser.py --base-url https://localhost:PORT --pki DIR < steps.json

  As a library, from a Python test script:

    with Browser(base_url, pki) as browser:
        researcher = browser.session("researcher-jp")
        page = researcher.open("/console/search")
        researcher.fill("#region", "1:1000-2000"); researcher.submit("form#search")
        print(researcher.text("main")); researcher.screenshot("/tmp/search.png")

Steps are objects with an "action" and "as" (the dev identity whose certificate the browser
presents; null or absent: no certificate). Each identity has its own browser context (cookies,
pages), made on first use; every action works on that identity's current page.

  open        {"path": "/api/whoami"}              -> status, url, title, text
  text        {"selector": "main"}                 -> text (inner text; default "body")
  html        {"selector": "main"}                 -> html (inner HTML; default: the whole page)
  click       {"selector": "a#next"}               -> status, url, title (after the navigation, if any)
  fill        {"selector": "#gene", "value": "TP53"}
  select      {"selector": "#cancer", "value": "NCIT:C4872"}
  submit      {"selector": "form#search"}          -> status, url, title (submits like a user: the
                                                      form's submit button, or requestSubmit())
  attribute   {"selector": "img", "name": "src"}   -> value
  count       {"selector": "table tr"}             -> count
  screenshot  {"file": "/tmp/x.png", "full_page": true}  -> file, bytes
  upload      {"selector": "input[type=file]", "file": "/tmp/w.csv"}   (set_input_files)
  download    {"selector": "a#export-csv"}         -> file (suggested name), bytes, text (first 64 KiB)
  post        {"path": "/console/x", "form": {"name": "value"}}
              a cross-site form post: a form built in about:blank (another origin, so the
              browser sends Origin: null and Sec-Fetch-Site: cross-site) posted to the gateway
              -> status, url, text

Any step may carry "expect": "failure": then it passes only when the action raises (e.g. a
context without a certificate must not load anything), and the result carries the error.

Certificates (a PKI made by scripts/dev-certs: <identity>.pem/.key, ca.pem, server.pem):
- With a client certificate, Playwright's own proxy makes the TLS connection to the gateway
  (Node's TLS) and presents the certificate. That connection verifies the gateway's certificate
  for real: chain to the dev CA (given to Node as NODE_EXTRA_CA_CERTS) and host name localhost.
  `ignore_https_errors` is never set, so a wrong server certificate fails the load.
- Without a client certificate, chromium connects directly. It is told to accept exactly the
  gateway's server key (--ignore-certificate-errors-spki-list with server.pem's SPKI hash) and
  nothing else, so that the handshake then fails because the gateway asks for a client
  certificate, not because the server is unknown.
Never runs `playwright install`: the browser is /usr/bin/chromium (Debian's package).
"""

import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import time

CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "run scripts/install-deps --tests (Debian's chromium and Playwright from PyPI)"


class HarnessUnavailable(Exception):
    """Playwright or chromium is missing: the message names what to install."""


class PageError(Exception):
    """A page could not be loaded or an action failed."""


def spki_sha256(certificate_path):
    """Base64 SHA-256 of a certificate's SubjectPublicKeyInfo, as chromium's SPKI list wants it."""
    public_key = subprocess.run(["openssl", "x509", "-in", certificate_path, "-pubkey", "-noout"],
                                check=True, capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=public_key,
                         check=True, capture_output=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def check_available():
    """Raises HarnessUnavailable naming what is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        raise HarnessUnavailable(f"{CHROMIUM} is missing: {INSTALL_HINT}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        raise HarnessUnavailable(f"Python playwright is missing ({error}): {INSTALL_HINT}")


class Session:
    """One identity's browser context and its current page."""

    def __init__(self, browser, identity, context):
        self.browser, self.identity, self.context = browser, identity, context
        self.page = context.new_page()
        self.page.set_default_timeout(browser.timeout_ms)

    def url(self, path):
        return path if "://" in path else self.browser.base_url + path

    def _loaded(self, response):
        # Playwright's proxy answers 503 with this text when its TLS connection to the gateway
        # fails (a refused or unverifiable certificate): that is a failed load, not a page.
        body = self.page.content()
        if "Playwright client-certificate error" in body:
            raise PageError("TLS connection to the gateway failed: " + self.page.inner_text("body").strip())
        return {"status": response.status if response else None, "url": self.page.url, "title": self.page.title()}

    def open(self, path):
        """Loads `path` (or a full URL); returns status, url, title and the page's text."""
        response = self.page.goto(self.url(path), wait_until="load")
        result = self._loaded(response)
        result["text"] = self.page.inner_text("body")
        return result

    def text(self, selector="body"):
        return self.page.inner_text(selector)

    def html(self, selector=None):
        return self.page.inner_html(selector) if selector else self.page.content()

    def attribute(self, selector, name):
        return self.page.get_attribute(selector, name)

    def count(self, selector):
        return self.page.locator(selector).count()

    def fill(self, selector, value):
        self.page.fill(selector, value)

    def select(self, selector, value):
        self.page.select_option(selector, value)

    def _navigating(self, action):
        """Runs `action`; if it navigates, waits for the new page and returns its status."""
        try:
            with self.page.expect_navigation(wait_until="load", timeout=self.browser.timeout_ms) as navigation:
                action()
            return self._loaded(navigation.value)
        except Exception as error:  # no navigation (e.g. a script-free link to the same page)
            if "Timeout" not in type(error).__name__ and "Timeout" not in str(error):
                raise
            return {"status": None, "url": self.page.url, "title": self.page.title()}

    def click(self, selector):
        return self._navigating(lambda: self.page.click(selector))

    def submit(self, selector):
        """Submits a form as a user would: its submit button if it has one, else requestSubmit()."""
        form = self.page.locator(selector)
        button = form.locator("button[type=submit], input[type=submit], button:not([type])")
        if button.count() > 0:
            return self._navigating(lambda: button.first.click())
        return self._navigating(lambda: form.evaluate("form => form.requestSubmit()"))

    def post(self, path, form):
        """A form post from a page that is not the console's (Origin: null): a cross-site request."""
        self.page.goto("about:blank")
        self.page.evaluate(
            """([action, fields]) => {
                const form = document.createElement('form');
                form.method = 'POST'; form.action = action;
                for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = name; input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
            }""", [self.url(path), form])
        result = self._navigating(lambda: self.page.evaluate("document.forms[0].submit()"))
        result["text"] = self.page.inner_text("body")
        return result

    def screenshot(self, file, full_page=True):
        os.makedirs(os.path.dirname(os.path.abspath(file)), exist_ok=True)
        self.page.screenshot(path=file, full_page=full_page)
        return {"file": file, "bytes": os.path.getsize(file)}

    def upload(self, selector, file):
        """Chooses `file` for the file input `selector`, as a user picking it would."""
        self.page.set_input_files(selector, file)

    def download(self, selector):
        """Clicks the link `selector` and waits for the file it downloads; returns its suggested
        name, its size and its first 64 KiB as text (an export's first lines)."""
        with self.page.expect_download(timeout=self.browser.timeout_ms) as info:
            self.page.click(selector)
        download = info.value
        failure = download.failure()
        if failure:
            raise PageError(f"the download failed: {failure}")
        with open(download.path(), "rb") as file:
            data = file.read()
        return {"file": download.suggested_filename, "bytes": len(data), "text": data[:65536].decode("utf-8", "replace")}


class Browser:
    """Chromium (headless, /usr/bin/chromium) driven by Playwright, one context per identity."""

    def __init__(self, base_url, pki, timeout_ms=15000):
        check_available()
        self.base_url, self.pki, self.timeout_ms = base_url.rstrip("/"), pki, timeout_ms
        self.sessions = {}

    def __enter__(self):
        from playwright.sync_api import sync_playwright
        # Node (Playwright's driver) reads this when it starts: its TLS connections to the gateway
        # then trust the dev CA, besides the system's roots.
        os.environ["NODE_EXTRA_CA_CERTS"] = os.path.join(self.pki, "ca.pem")
        self.playwright = sync_playwright().start()
        server_key = spki_sha256(os.path.join(self.pki, "server.pem"))
        try:
            self.chromium = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=[f"--ignore-certificate-errors-spki-list={server_key}"])
        except Exception:
            self.playwright.stop()
            raise
        return self

    def __exit__(self, *exc):
        for session in self.sessions.values():
            session.context.close()
        self.chromium.close()
        self.playwright.stop()

    def session(self, identity=None):
        """The browser context presenting `identity`'s dev certificate (None: no certificate)."""
        if identity not in self.sessions:
            options = {"locale": "en-GB"}
            if identity:
                options["client_certificates"] = [{
                    "origin": self.base_url,
                    "certPath": os.path.join(self.pki, identity + ".pem"),
                    "keyPath": os.path.join(self.pki, identity + ".key"),
                }]
            self.sessions[identity] = Session(self, identity, self.chromium.new_context(**options))
        return self.sessions[identity]

    def run(self, step):
        """Runs one step (see the module's doc); returns its result, with "ok"."""
        action, expect = step.get("action"), step.get("expect", "success")
        started = time.monotonic()
        result = {"action": action, "as": step.get("as")}
        try:
            session = self.session(step.get("as"))
            if action == "open":
                result.update(session.open(step["path"]))
            elif action == "text":
                result["text"] = session.text(step.get("selector", "body"))
            elif action == "html":
                result["html"] = session.html(step.get("selector"))
            elif action == "attribute":
                result["value"] = session.attribute(step["selector"], step["name"])
            elif action == "count":
                result["count"] = session.count(step["selector"])
            elif action == "fill":
                session.fill(step["selector"], step["value"])
            elif action == "select":
                session.select(step["selector"], step["value"])
            elif action == "click":
                result.update(session.click(step["selector"]))
            elif action == "submit":
                result.update(session.submit(step["selector"]))
            elif action == "post":
                result.update(session.post(step["path"], step.get("form", {})))
            elif action == "screenshot":
                result.update(session.screenshot(step["file"], step.get("full_page", True)))
            elif action == "upload":
                session.upload(step["selector"], step["file"])
            elif action == "download":
                result.update(session.download(step["selector"]))
            else:
                raise PageError(f"unknown action {action!r}")
            result["ok"] = expect != "failure"
            if not result["ok"]:
                result["error"] = "expected a failure, but the action succeeded"
        except Exception as error:  # any failure of the page or the browser is a result
            result["error"] = f"{type(error).__name__}: {error}".strip()
            result["ok"] = expect == "failure"
        result["seconds"] = round(time.monotonic() - started, 3)
        return result


def main():
    parser = argparse.ArgumentParser(description="Runs JSON steps in chromium against a gateway.")
    parser.add_argument("--base-url", required=True, help="https://localhost:PORT")
    parser.add_argument("--pki", required=True, help="folder made by scripts/dev-certs")
    parser.add_argument("--steps", help="JSON file with a list of steps (default: stdin)")
    parser.add_argument("--timeout-ms", type=int, default=15000)
    arguments = parser.parse_args()
    steps = json.load(open(arguments.steps) if arguments.steps else sys.stdin)
    try:
        check_available()
    except HarnessUnavailable as error:
        print(f"browser.py: {error}", file=sys.stderr)
        return 3
    started = time.monotonic()
    with Browser(arguments.base_url, arguments.pki, arguments.timeout_ms) as browser:
        launched = time.monotonic() - started
        results = [browser.run(step) for step in steps]
    json.dump({"launchSeconds": round(launched, 3), "totalSeconds": round(time.monotonic() - started, 3),
               "results": results}, sys.stdout, indent=1)
    print()
    return 0 if all(result["ok"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
