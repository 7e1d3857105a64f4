"""The attack lab: builds genomegate, makes a data folder (dev certificates, policy,
a synthetic cohort with withheld cases), serves the gateway from a gateway.yaml, and
talks to it over mutual TLS as a researcher or the secretariat."""

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESEARCHER = "researcher-jp"  # a Japanese organization: no overseas restriction, the whole cohort counts
LATE_DATASET = "demo-wgs-late"
# Researchers of the example policy and their organizations; researcher-us (a US company, no
# APPI exception) counts only samples with overseas consent, which makes smaller cohorts.
ORGANIZATIONS = {"researcher-jp": "kyoto-u", "researcher-us": "example-therapeutics"}  # a dataset ingested while the gateway serves (time and dataset channels)


def log(message):
    print(f"attack-privacy: {message}", flush=True)


def run(arguments, **kwargs):
    result = subprocess.run(arguments, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def build_gateway(binary=None, release=False):
    """The genomegate binary: the one given, or `swift build --product genomegate`."""
    if binary:
        return os.path.abspath(binary)
    configuration = ["-c", "release"] if release else []
    log("building genomegate (swift build --product genomegate" + (" -c release" if release else "") + ") ...")
    run(["swift", "build", *configuration, "--product", "genomegate"], cwd=ROOT)
    path = run(["swift", "build", *configuration, "--show-bin-path"], cwd=ROOT).strip()
    return os.path.join(path, "genomegate")


class Lab:
    """One data folder: certificates, policy, the ingested cohort; a gateway serving it."""

    def __init__(self, binary, folder, cohort_folder, privacy):
        self.binary = binary
        self.folder = folder
        self.data = os.path.join(folder, "data")
        self.certs = os.path.join(folder, "certs")
        self.cohort_folder = cohort_folder
        self.privacy = privacy  # None (no privacy section) or a dict for gateway.yaml's `privacy:`
        self.process = None
        self.port = None
        self.privacy_settings_applied = False
        self.approval_counter = 0
        self.lock = threading.Lock()

    # --- setting up ------------------------------------------------------------------

    def prepare(self):
        os.makedirs(self.data, exist_ok=True)
        run([os.path.join(ROOT, "scripts", "dev-certs"), self.certs])
        policy = os.path.join(self.folder, "policy")
        shutil.copytree(os.path.join(ROOT, "policy"), policy, dirs_exist_ok=True)
        with open(os.path.join(policy, "datasets.yaml"), "a") as handle:
            handle.write(f"  - id: {LATE_DATASET}\n    name: Demo genomes ingested later\n"
                         "    description: Cases that arrive while the gateway serves (attack harness)\n"
                         "    duo:\n      - id: \"DUO:0000042\"\n        label: general research use\n")
        run([self.binary, "policy", "import", policy, "--data-dir", self.data, "--actor", "operator:attack-privacy"])
        run([self.binary, "ingest", os.path.join(self.cohort_folder, "cohort.vcf"), "--dataset", "demo-wgs",
             "--samples", os.path.join(self.cohort_folder, "samples.tsv"), "--data-dir", self.data])

    def write_config(self, with_privacy):
        lines = [
            "listen: 127.0.0.1:0",
            "tls:",
            f"  certificate: {self.certs}/server.pem",
            f"  private_key: {self.certs}/server.key",
            f"  client_ca: {self.certs}/ca.pem",
            f"data_dir: {self.data}",
            "audit:",
            f"  signing_key: {self.certs}/audit-signing.key",
            "limits:",
            "  max_connections_per_certificate: 256",
        ]
        if with_privacy and self.privacy is not None:
            lines.append("privacy:")
            lines += [f"  {key}: {json.dumps(value)}" for key, value in self.privacy.items()]
        path = os.path.join(self.folder, "gateway.yaml")
        with open(path, "w") as handle:
            handle.write("\n".join(lines) + "\n")
        return path

    def start(self):
        """Serves with the privacy settings; a gateway without a `privacy:` section (before
        the defences) refuses the unknown key, and is then served without it."""
        for with_privacy in ([True, False] if self.privacy is not None else [False]):
            config = self.write_config(with_privacy)
            error_path = os.path.join(self.folder, "serve.err")
            self.stderr = open(error_path, "w")
            self.process = subprocess.Popen([self.binary, "serve", "--config", config, "--log-level", "warning",
                                             "--metrics-listen", "127.0.0.1:0"],
                                            stdout=subprocess.PIPE, stderr=self.stderr, text=True)
            line = self.process.stdout.readline()
            match = re.search(r"listening on https://[^:]+:(\d+)", line)
            if match:
                self.port = int(match.group(1))
                self.privacy_settings_applied = with_privacy and self.privacy is not None
                threading.Thread(target=self.process.stdout.read, daemon=True).start()
                return
            self.process.wait()
            self.stderr.close()
            message = open(error_path).read()
            if with_privacy and "unknown key 'privacy'" in message:
                log("this gateway has no `privacy:` settings (defences not built yet): serving without them")
                continue
            raise RuntimeError(f"genomegate serve did not start:\n{line}{message}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    # --- clients ---------------------------------------------------------------------

    def client(self, member=RESEARCHER):
        return Client(self, member)

    def new_approval(self, purpose_note, member=RESEARCHER):
        """A fresh committee approval for a researcher (its own privacy budget)."""
        with self.lock:
            self.approval_counter += 1
            identifier = f"ATK-{self.approval_counter:05d}"
        body = {
            "id": identifier, "decision_reference": f"DURC-ATK-{self.approval_counter:05d}", "decision_date": "2026-01-05",
            "title": f"Attack harness: {purpose_note}"[:200], "purpose": "causal-gene-research",
            "organization": ORGANIZATIONS[member], "members": [member],
            "scope": {"datasets": ["demo-wgs", LATE_DATASET],
                      "query_kinds": ["beacon-boolean", "beacon-count", "allele-frequency", "cohort-summary"]},
            "commercial_use": member == "researcher-us", "valid_from": "2026-01-05", "valid_until": "2036-03-31", "legal_basis": "none",
        }
        with self.lock:
            status, answer = self.admin().request("POST", "/api/admin/approvals", body)
        if status != 201:
            raise RuntimeError(f"creating approval {identifier}: {status} {answer}")
        return identifier

    def admin(self):
        if not hasattr(self, "_admin"):
            self._admin = Client(self, "secretariat")
        return self._admin

    def withdraw(self, participant):
        with self.lock:
            status, answer = self.admin().request("POST", "/api/admin/withdrawals", {"participant_id": participant})
        if status not in (200, 201):
            raise RuntimeError(f"withdrawing {participant}: {status} {answer}")
        return answer

    def ingest(self, vcf, sheet, dataset):
        run([self.binary, "ingest", vcf, "--dataset", dataset, "--samples", sheet, "--data-dir", self.data])


class Client:
    """One kept-alive mutual-TLS connection as one member; counts what it is told."""

    def __init__(self, lab, member):
        self.lab = lab
        self.context = ssl.create_default_context(cafile=os.path.join(lab.certs, "ca.pem"))
        self.context.load_cert_chain(os.path.join(lab.certs, f"{member}.pem"), os.path.join(lab.certs, f"{member}.key"))
        self.connection = None

    def _connect(self):
        self.connection = http.client.HTTPSConnection("127.0.0.1", self.lab.port, context=self.context, timeout=120)

    def request(self, method, path, body=None, approval=None, query=None):
        """(status, parsed JSON or text)."""
        if query:
            path += "?" + urllib.parse.urlencode(query, safe=":,")
        headers = {}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if approval:
            headers["X-Approval-Id"] = approval
        for attempt in range(3):
            if self.connection is None:
                self._connect()
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                break
            except (http.client.HTTPException, ConnectionError, socket.timeout, ssl.SSLError, OSError):
                if self.connection:
                    self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
                time.sleep(0.2)
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, data.decode(errors="replace")


def error_code(answer):
    """The gateway's stable error code from an error answer (JSON or Beacon error format)."""
    if isinstance(answer, dict):
        error = answer.get("error")
        if isinstance(error, dict):
            if "code" in error:
                return error["code"]
            message = error.get("errorMessage", "")
            return message.split(":", 1)[0] if message else None
    return None
