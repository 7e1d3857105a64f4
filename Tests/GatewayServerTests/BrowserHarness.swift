import Foundation
import GatewayTestSupport

/// Runs Browser/browser.py (Playwright driving Debian's /usr/bin/chromium, headless) against a
/// test gateway: a list of steps in, one result per step out. Each identity is a browser context
/// presenting that dev certificate; `nil` presents none. See browser.py for what each action does
/// and how the gateway's certificate is checked.
///
/// The harness needs `scripts/install-deps --tests` (chromium and Playwright); without them
/// `run` throws saying so, so a browser test fails rather than skips.
struct BrowserHarness {
    static let script = DevPKI.repositoryRoot + "/Tests/GatewayServerTests/Browser/browser.py"
    static let chromium = "/usr/bin/chromium"
    static let installHint = "run scripts/install-deps --tests (installs Debian's chromium and Playwright from PyPI)"

    /// One thing the browser does, as one identity.
    struct Step: Encodable, Sendable {
        var action: String
        var identity: String?
        var path: String?
        var selector: String?
        var value: String?
        var name: String?
        var file: String?
        var form: [String: String]?
        var expect: String?

        enum CodingKeys: String, CodingKey {
            case action, identity = "as", path, selector, value, name, file, form, expect
        }

        /// Loads `path` (on the gateway, or a full URL).
        static func open(_ path: String, as identity: String?) -> Step { Step(action: "open", identity: identity, path: path) }
        /// The inner text of `selector` on the current page.
        static func text(_ selector: String = "body", as identity: String?) -> Step { Step(action: "text", identity: identity, selector: selector) }
        /// The inner HTML of `selector`, or the whole page.
        static func html(_ selector: String? = nil, as identity: String?) -> Step { Step(action: "html", identity: identity, selector: selector) }
        /// The attribute `name` of `selector`.
        static func attribute(_ name: String, of selector: String, as identity: String?) -> Step {
            Step(action: "attribute", identity: identity, selector: selector, name: name)
        }
        /// How many elements match `selector`.
        static func count(_ selector: String, as identity: String?) -> Step { Step(action: "count", identity: identity, selector: selector) }
        /// Clicks `selector` and waits for the page it leads to.
        static func click(_ selector: String, as identity: String?) -> Step { Step(action: "click", identity: identity, selector: selector) }
        /// Types `value` into the field `selector`.
        static func fill(_ selector: String, with value: String, as identity: String?) -> Step {
            Step(action: "fill", identity: identity, selector: selector, value: value)
        }
        /// Chooses `value` in the select `selector`.
        static func select(_ selector: String, value: String, as identity: String?) -> Step {
            Step(action: "select", identity: identity, selector: selector, value: value)
        }
        /// Submits the form `selector` as a user would, and waits for the answer.
        static func submit(_ selector: String, as identity: String?) -> Step { Step(action: "submit", identity: identity, selector: selector) }
        /// A cross-site form post of `form` to `path`, made from a page of another origin.
        static func crossSitePost(_ path: String, form: [String: String], as identity: String?) -> Step {
            Step(action: "post", identity: identity, path: path, form: form)
        }
        /// A PNG screenshot of the whole current page, written to `file`.
        static func screenshot(_ file: String, as identity: String?) -> Step { Step(action: "screenshot", identity: identity, file: file) }

        /// The same step, which passes only if it fails (e.g. a load that must not happen).
        var mustFail: Step {
            var step = self
            step.expect = "failure"
            return step
        }
    }

    /// What one step did.
    struct Result: Decodable, Sendable {
        var action: String
        var ok: Bool
        var status: Int?
        var url: String?
        var title: String?
        var text: String?
        var html: String?
        var value: String?
        var count: Int?
        var file: String?
        var bytes: Int?
        var error: String?
        var seconds: Double
    }

    /// A whole run: the browser's start-up time, the total, and each step's result.
    struct Run: Decodable, Sendable {
        var launchSeconds: Double
        var totalSeconds: Double
        var results: [Result]
    }

    /// Throws, naming what to install, when chromium or Playwright is missing.
    static func requireInstalled() async throws {
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            throw TestFailure("\(chromium) is missing: \(installHint)")
        }
        let probe = try await Subprocess.run(["python3", "-c", "import playwright.sync_api"])
        guard probe.status == 0 else {
            throw TestFailure("Python playwright is missing (\(probe.stderr.split(separator: "\n").last ?? "")): \(installHint)")
        }
    }

    /// Runs `steps` in one browser against `gateway`, with the certificates of `pki` (default:
    /// the gateway's own). Throws if the harness cannot run; a step that did not do what it
    /// expected is a result with `ok == false`, not an error.
    static func run(_ steps: [Step], against gateway: TestGateway, pki: String? = nil) async throws -> Run {
        try await requireInstalled()
        let input = try JSONEncoder().encode(steps)
        let result = try await Subprocess.run(
            ["python3", script, "--base-url", gateway.url, "--pki", pki ?? gateway.pki], input: Array(input)
        )
        guard result.status == 0 || result.status == 1,
              let run = try? JSONDecoder().decode(Run.self, from: Data(result.stdout.utf8)),
              run.results.count == steps.count
        else {
            throw TestFailure("browser.py exited with \(result.status): \(result.stderr.suffix(2000)) \(result.stdout.prefix(2000))")
        }
        return run
    }
}

extension BrowserHarness.Step {
    /// Chooses `file` for the file input `selector` (Playwright's `set_input_files`).
    static func upload(_ selector: String, file: String, as identity: String?) -> Self {
        Self(action: "upload", identity: identity, selector: selector, file: file)
    }

    /// Clicks the link `selector` and waits for its download: the result's `file` is the name the
    /// browser would save it under, `bytes` its size, `text` its first 64 KiB.
    static func download(_ selector: String, as identity: String?) -> Self {
        Self(action: "download", identity: identity, selector: selector)
    }
}
