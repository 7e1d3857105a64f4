import Foundation
import GatewayCore
import VariantStore
@testable import PrivacyLedger

/// A cohort of `people` people with two samples each (tumour 2p, normal 2p + 1) and a helper
/// that plans and applies requests on one account, like the ledger does.
struct LedgerFixture {
    let people: Int
    var samples: Int { people * 2 }
    var personOfSample: [Int] { (0..<samples).map { $0 / 2 } }
    var settings = PrivacySettings()
    var registry = PoolRegistry()
    var account = DisclosureAccount()

    init(people: Int) { self.people = people }

    /// The samples of the given people.
    func pool(_ members: some Sequence<Int>) -> SampleSet {
        SampleSet(capacity: samples, members: members.flatMap { [2 * $0, 2 * $0 + 1] })
    }

    /// Everyone.
    var everyone: SampleSet { SampleSet.all(capacity: samples) }

    /// Everyone but the given people.
    func everyone(except excluded: Set<Int>) -> SampleSet { pool((0..<people).filter { !excluded.contains($0) }) }

    /// Plans `releases` without applying.
    func plan(_ releases: [SubjectRelease]) -> Result<AccountPlan, PlanRefusal> {
        account.plan(registry.resolve(releases), pools: registry, personOfSample: personOfSample, settings: settings,
                     presenceCap: MembershipSignal.presenceCap(minimumCount: settings.minimumCellCount))
    }

    /// Plans and, if accepted, applies `releases`.
    @discardableResult
    mutating func release(_ releases: [SubjectRelease]) -> Result<AccountPlan, PlanRefusal> {
        let request = registry.resolve(releases)
        let result = account.plan(request, pools: registry, personOfSample: personOfSample, settings: settings,
                                  presenceCap: MembershipSignal.presenceCap(minimumCount: settings.minimumCellCount))
        if case .success(let plan) = result {
            registry.register(request)
            account.apply(plan)
        }
        return result
    }

    /// One subject over the given pools, each with frequency `frequency`.
    static func subject(_ name: String, _ pools: SampleSet..., frequency: Double = 0.5, presenceOnly: Bool = false) -> SubjectRelease {
        SubjectRelease(subject: name, pools: pools.map { PoolRelease(samples: $0, frequency: frequency, presenceOnly: presenceOnly) })
    }
}

extension Result {
    var value: Success? { if case .success(let value) = self { value } else { nil } }
    var refusal: Failure? { if case .failure(let failure) = self { failure } else { nil } }
}

/// A fresh ledger file path.
func temporaryLedgerPath(_ label: String) -> String {
    let folder = NSTemporaryDirectory() + "genomegate-ledger-\(label)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder + "/" + DisclosureLedger.fileName
}
