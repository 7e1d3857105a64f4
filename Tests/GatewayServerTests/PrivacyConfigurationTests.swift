import Foundation
import GatewayCore
import GatewayServer
import GatewayTestSupport
import Testing

/// The `privacy:` keys of gateway.yaml: defaults on, each key range-checked and named when wrong.
@Suite("Privacy configuration")
struct PrivacyConfigurationTests {
    static func resolve(_ privacyYAML: String?) throws -> GatewayConfiguration {
        let folder = DevPKI.temporaryFolder("config")
        var yaml = """
            listen: 127.0.0.1:0
            tls: {certificate: s.pem, private_key: s.key, client_ca: ca.pem}
            data_dir: data
            audit: {signing_key: a.key}
            """
        if let privacyYAML { yaml += "\nprivacy:\n" + privacyYAML }
        try yaml.write(toFile: folder + "/gateway.yaml", atomically: true, encoding: .utf8)
        return try GatewayConfigurationFile.load(folder + "/gateway.yaml").resolve()
    }

    @Test("every defence is on by default; each key is read")
    func defaultsAndKeys() throws {
        let defaults = try Self.resolve(nil).privacy
        #expect(defaults.enabled && defaults.noiseMaximum > 0 && defaults.minimumDifferencePeople == 5)
        #expect(defaults.approvalBudget == GatewayConfiguration.Privacy.defaultApprovalBudget)
        #expect(defaults.memberBudget == GatewayConfiguration.Privacy.defaultMemberBudget)
        let set = try Self.resolve("""
              enabled: false
              approval_budget: 1.5
              member_budget: 3
              minimum_difference_people: 10
              noise_maximum: 0
            """).privacy
        #expect(!set.enabled && set.approvalBudget == 1.5 && set.memberBudget == 3 && set.minimumDifferencePeople == 10 && set.noiseMaximum == 0)
    }

    @Test("out-of-range privacy keys are refused, naming the key", arguments: [
        ("approval_budget: 0", "privacy.approval_budget"),
        ("approval_budget: -0.1", "privacy.approval_budget"),
        ("approval_budget: 101", "privacy.approval_budget"),
        ("approval_budget: .nan", "privacy.approval_budget"),
        ("member_budget: 0", "privacy.member_budget"),
        ("member_budget: .inf", "privacy.member_budget"),
        ("minimum_difference_people: 1", "privacy.minimum_difference_people"),
        ("minimum_difference_people: 1001", "privacy.minimum_difference_people"),
        ("noise_maximum: -1", "privacy.noise_maximum"),
        ("noise_maximum: 21", "privacy.noise_maximum"),
        ("rare_frequency: -0.01", "privacy.rare_frequency"),
        ("rare_frequency: 0.6", "privacy.rare_frequency"),
        ("frequency_precision: 0.1", "privacy.frequency_precision"),
        ("frequency_precision: -1", "privacy.frequency_precision"),
        ("enabled: maybe", "privacy"),
        ("budget: 1", "privacy.budget"),
    ])
    func outOfRange(line: String, key: String) {
        do {
            _ = try Self.resolve("  " + line)
            Issue.record("\(line) was accepted")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
        }
    }
}
