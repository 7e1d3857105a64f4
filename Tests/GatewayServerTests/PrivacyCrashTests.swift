import Foundation
import GatewayTestSupport
import Synchronization
import Testing
import VariantStore

/// The disclosure ledger survives SIGKILL of the built gateway (README "Privacy"): a charge is
/// committed before its answer is built, so no answer given before a kill is ever free again,
/// and what was spent is never forgotten.
@Suite("Privacy: the disclosure ledger survives SIGKILL")
struct PrivacyCrashTests {
    /// The next question's number, shared by the clients of all rounds.
    final class Counter: Sendable { let value = Atomic<Int>(0) }

    static let raise = "/api/admin/approvals/A-2026-001/privacy-budget"

    /// Raises researcher-jp's approval budget to `budget` as the secretariat.
    static func raiseBudget(port: Int, pki: String, to budget: Double) async throws {
        let secretariat = try TestTLSClient(port: port, pki: pki, identity: "secretariat")
        let raised = try await PolicyAPITests.send(secretariat, "POST", raise,
                                                   json: ["budget": budget, "reason": "crash test: several rounds of questions"])
        #expect(raised.status == 200, "\(PrivacyLedgerGatewayTests.text(raised))")
    }

    static func researcher(_ server: AuditCrashTests.Server, pki: String) throws -> TestTLSClient {
        try TestTLSClient(port: server.port, pki: pki, identity: "researcher-jp")
    }

    @Test("killed after each answer: spent after restart equals spent before, and every answered question is free and identical")
    func killedBetweenQuestions() async throws {
        let pki = try await DevPKI.shared()
        let data = try BeaconCohort.makeDataFolder()
        try PolicyFixture.importFolder(DevPKI.repositoryRoot + "/policy", into: data)
        var server = try await AuditCrashTests.Server(pki: pki, data: data)
        try await Self.raiseBudget(port: server.port, pki: pki, to: 50)
        // Each question costs something new: two variants, totals then strata.
        let questions = [PrivacyLedgerGatewayTests.common, PrivacyLedgerGatewayTests.other, PrivacyLedgerGatewayTests.stratified,
                         "/api/aggregate/allele-frequency?referenceName=1&start=2999&alternateBases=A"]
        var answered: [(path: String, body: [UInt8])] = []
        var spent = 0.0
        for question in questions {
            let client = try Self.researcher(server, pki: pki)
            let answer = try await PolicyAPITests.send(client, "GET", question)
            try #require(answer.status == 200, "\(question): \(PrivacyLedgerGatewayTests.text(answer))")
            let after = try await PrivacyLedgerGatewayTests.spent(client)
            #expect(after > spent, "\(question) costs budget")
            answered.append((question, answer.body))

            try await server.kill()
            server = try await AuditCrashTests.Server(pki: pki, data: data)
            let restarted = try Self.researcher(server, pki: pki)
            #expect(try await PrivacyLedgerGatewayTests.spent(restarted) == after, "the spent budget after SIGKILL is what it was")
            for (path, body) in answered {
                let again = try await PolicyAPITests.send(restarted, "GET", path)
                #expect(again.status == 200 && again.body == body, "\(path) is answered identically after SIGKILL")
            }
            #expect(try await PrivacyLedgerGatewayTests.spent(restarted) == after, "questions answered before SIGKILL are free after it")
            spent = after
        }
        let last = server.process
        last.terminate()
        try await offThread { last.waitUntilExit() }
    }

    /// 200 people (a tumour and a normal sample each, three cancer types) and `variants` common
    /// germline variants at 1:10000, 1:10010, ... (each carried by 25-50% of people), so that
    /// every variant is a new question with its own charge.
    static func manyVariantsFolder(variants: Int) throws -> String {
        let folder = DevPKI.temporaryFolder("privacy-crash-cohort")
        var sheet = "sample_id\tparticipant_id\tdataset_id\ttissue\tcancer_type_id\tcancer_type_label\toverseas_consent\tmapping_rate\tduplicate_rate\tmean_insert_size\tmean_depth\tnt_check\n"
        var samples: [(name: String, person: Int)] = []
        for person in 1...200 {
            let type = [BeaconCohort.breast, BeaconCohort.lung, BeaconCohort.colorectal][person % 3]
            for tissue in ["tumour", "normal"] {
                let sample = String(format: "P%03d-", person) + (tissue == "tumour" ? "T" : "N")
                samples.append((sample, person))
                sheet += [sample, String(format: "P%03d", person), "demo-wgs", tissue, type.0, type.1, "yes",
                          "99.9", "10.0", "450", tissue == "tumour" ? "130.0" : "35.0", "pass"].joined(separator: "\t") + "\n"
            }
        }
        var vcf = """
            ##fileformat=VCFv4.2
            ##contig=<ID=1,length=248956422>
            ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
            #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t\(samples.map(\.name).joined(separator: "\t"))

            """
        for variant in 0..<variants {
            let share = 25 + variant % 26
            let genotypes = samples.map { sample -> String in
                let draw = (sample.person &* 2_654_435_761 &+ variant &* 40_503 &+ (sample.person * variant) % 89) % 100
                return draw < share ? "0/1" : "0/0"
            }
            vcf += "1\t\(10_000 + 10 * variant)\t.\tA\tG\t.\tPASS\t.\tGT\t" + genotypes.joined(separator: "\t") + "\n"
        }
        try sheet.write(toFile: folder + "/samples.tsv", atomically: true, encoding: .utf8)
        try vcf.write(toFile: folder + "/cohort.vcf", atomically: true, encoding: .utf8)
        let store = try VariantDatabase(folder: folder + "/data")
        _ = try store.ingest(file: folder + "/cohort.vcf", dataset: "demo-wgs", sampleSheet: folder + "/samples.tsv")
        try PolicyFixture.importFolder(DevPKI.repositoryRoot + "/policy", into: folder + "/data")
        return folder + "/data"
    }

    @Test("killed at random moments while charges are in flight, 8 times: every question answered before a kill stays free and identical, and spent never goes back")
    func killedUnderLoad() async throws {
        let pki = try await DevPKI.shared()
        let variants = 1600
        let data = try Self.manyVariantsFolder(variants: variants)
        var server = try await AuditCrashTests.Server(pki: pki, data: data)
        try await Self.raiseBudget(port: server.port, pki: pki, to: 100)
        let next = Counter()
        var answered: [String: [UInt8]] = [:]
        var spentBefore = try await PrivacyLedgerGatewayTests.spent(try Self.researcher(server, pki: pki))
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5 {
            let current = server, port = server.port
            let deadline = Date().addingTimeInterval(Double.random(in: 0.05...0.4, using: &generator))
            // Two researchers' connections ask new questions until the gateway dies under them.
            let got = try await withThrowingTaskGroup(of: [(String, [UInt8])].self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await offThread { () -> [(String, [UInt8])] in
                            var got: [(String, [UInt8])] = []
                            guard let client = try? TestTLSClient(port: port, pki: pki, identity: "researcher-jp") else { return got }
                            while true {
                                let number = next.value.add(1, ordering: .relaxed).oldValue
                                guard number < variants else { return got }
                                let path = "/api/aggregate/allele-frequency?referenceName=1&start=\(10_000 + 10 * number - 1)&alternateBases=G&strata=false"
                                guard let response = try? client.request("GET", path) else { return got }
                                if response.status == 200 { got.append((path, response.body)) }
                            }
                        }
                    }
                }
                try await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow)))
                try await current.kill()
                var all: [(String, [UInt8])] = []
                for try await got in group { all += got }
                return all
            }
            for (path, body) in got { answered[path] = body }

            server = try await AuditCrashTests.Server(pki: pki, data: data)
            let restarted = try Self.researcher(server, pki: pki)
            let spentAfter = try await PrivacyLedgerGatewayTests.spent(restarted)
            #expect(spentAfter >= spentBefore, "round \(round): spent after SIGKILL \(spentAfter) is at least \(spentBefore)")
            if !got.isEmpty { #expect(spentAfter > spentBefore, "round \(round): \(got.count) new answers were charged") }
            // A charge lost with its answer given would be charged again now.
            for (path, body) in answered {
                let again = try await PolicyAPITests.send(restarted, "GET", path)
                #expect(again.status == 200 && again.body == body, "round \(round): \(path) is answered identically after SIGKILL")
            }
            let spentAfterReasking = try await PrivacyLedgerGatewayTests.spent(restarted)
            #expect(spentAfterReasking == spentAfter, "round \(round): the \(answered.count) questions answered before SIGKILL are free after it")
            print("privacy crash test round \(round): \(got.count) answered in flight, spent \(spentBefore) -> \(spentAfter)")
            spentBefore = spentAfterReasking
        }
        #expect(answered.count >= 8, "the load produced answers")
        let last = server.process
        last.terminate()
        try await offThread { last.waitUntilExit() }
    }
}
