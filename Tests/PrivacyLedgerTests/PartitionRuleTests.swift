import Testing
import VariantStore
@testable import PrivacyLedger

/// The partition rule on one account, as a pure state machine (1,000 people, 2 samples each).
@Suite("Partition rule")
struct PartitionRuleTests {
    typealias F = LedgerFixture

    @Test("the first release over a cohort is accepted and charges each of a person's samples")
    func firstRelease() throws {
        var fixture = F(people: 1000)
        let plan = try #require(fixture.release([F.subject("chr1:100:A:G", fixture.everyone)]).value)
        let perSample = MembershipSignal.charge(frequency: 0.5, cellSamples: 2000, noiseVariance: 0)
        #expect(plan.deltas.count == 1000)
        #expect(plan.added == perSample + perSample)
        #expect(fixture.account.spent == perSample + perSample)
        #expect(fixture.account.exposure(of: .mapped(999)) == perSample + perSample)
    }

    @Test("the same release again costs nothing and records nothing")
    func sameReleaseTwice() throws {
        var fixture = F(people: 1000)
        fixture.release([F.subject("chr1:100:A:G", fixture.everyone)])
        let before = fixture.account
        let again = try #require(fixture.release([F.subject("chr1:100:A:G", fixture.everyone, frequency: 0.4)]).value)
        #expect(again.deltas.isEmpty && again.releases.isEmpty && again.added == 0)
        #expect(fixture.account == before)
        // The same samples in a set of another capacity are the same pool.
        let wider = SampleSet(capacity: 5000, members: 0..<2000)
        #expect(try #require(fixture.plan([F.subject("chr1:100:A:G", wider)]).value).deltas.isEmpty)
    }

    @Test("a cohort differing by fewer than 5 people is refused; by 5 it is charged", arguments: [1, 2, 4, 5, 6])
    func differingBy(people: Int) throws {
        var fixture = F(people: 1000)
        fixture.release([F.subject("chr1:100:A:G", fixture.everyone)])
        let before = fixture.account
        let smaller = fixture.everyone(except: Set(0..<people))
        let result = fixture.release([F.subject("chr1:100:A:G", smaller, frequency: 0.25)])
        if people < 5 {
            #expect(result.refusal == .differencing(subject: "chr1:100:A:G", people: people, minimum: 5, firstRelease: false))
            #expect(fixture.account == before, "a refusal changes nothing")
        } else {
            let plan = try #require(result.value)
            // Two new cells: the removed people's samples (charged with the whole cohort's f,
            // the smallest pool holding them) and the rest (charged with the smaller pool's f).
            let removed = MembershipSignal.charge(frequency: 0.5, cellSamples: 2 * people, noiseVariance: 0)
            let kept = MembershipSignal.charge(frequency: 0.25, cellSamples: 2000 - 2 * people, noiseVariance: 0)
            #expect(fixture.account.exposure(of: .mapped(0)) == before.exposure(of: .mapped(0)) + (removed + removed))
            #expect(fixture.account.exposure(of: .mapped(999)) == before.exposure(of: .mapped(999)) + (kept + kept))
            #expect(plan.added == max(removed + removed, kept + kept))
        }
    }

    @Test("time: the same cohort after one person's two samples were withdrawn is refused")
    func withdrawal() {
        var fixture = F(people: 1000)
        fixture.release([F.subject("chr2:5:C:T", fixture.everyone)])
        var afterWithdrawal = fixture.everyone
        afterWithdrawal.remove(2 * 17)
        afterWithdrawal.remove(2 * 17 + 1)
        #expect(fixture.plan([F.subject("chr2:5:C:T", afterWithdrawal)]).refusal
                == .differencing(subject: "chr2:5:C:T", people: 1, minimum: 5, firstRelease: false))
        // Another subject over the new cohort is a first release: fine.
        #expect(fixture.plan([F.subject("chr2:6:C:T", afterWithdrawal)]).value != nil)
    }

    @Test("time: an ingest adding 3 people is refused, adding 5 is charged")
    func ingest() {
        var fixture = F(people: 1000)
        let before = fixture.everyone(except: Set(995..<1000))
        fixture.release([F.subject("chr2:5:C:T", before)])
        #expect(fixture.plan([F.subject("chr2:5:C:T", fixture.everyone(except: [998, 999]))]).refusal?.people == 3)
        #expect(fixture.plan([F.subject("chr2:5:C:T", fixture.everyone)]).value != nil)
    }

    @Test("one request holding two cohorts that differ by one person is refused")
    func differencingWithinOneRequest() {
        let fixture = F(people: 1000)
        #expect(fixture.plan([F.subject("chr3:9:G:A", fixture.everyone, fixture.everyone(except: [3]))]).refusal
                == .differencing(subject: "chr3:9:G:A", people: 1, minimum: 5, firstRelease: true))
    }

    @Test("strata: each person is charged by their own stratum's size and frequency; the total adds nothing")
    func strata() throws {
        var fixture = F(people: 1000)
        let strata = (0..<16).map { stratum in fixture.pool((0..<1000).filter { $0 % 16 == stratum }) }
        let frequency = { (stratum: Int) in 0.05 + Double(stratum) / 40 }
        var pools = [PoolRelease(samples: fixture.everyone, frequency: 0.3)]
        pools += strata.enumerated().map { PoolRelease(samples: $1, frequency: frequency($0)) }
        let plan = try #require(fixture.release([SubjectRelease(subject: "chr4:1:A:C", pools: pools)]).value)
        #expect(plan.deltas.count == 1000)
        for person in [0, 1, 15, 16, 999] {
            let stratum = person % 16
            let charge = MembershipSignal.charge(frequency: frequency(stratum), cellSamples: strata[stratum].count, noiseVariance: 0)
            #expect(fixture.account.exposure(of: .mapped(person)) == charge + charge, "person \(person)")
        }
        // Strata first, then the total: the total is the sum of the strata, so it is free.
        var reversed = F(people: 1000)
        reversed.release([SubjectRelease(subject: "chr4:1:A:C", pools: Array(pools.dropFirst()))])
        #expect(try #require(reversed.release([F.subject("chr4:1:A:C", fixture.everyone)]).value).deltas.isEmpty)
    }

    @Test("presence is charged once per person (the cap, or what its outcome told); giving counts where only presence was known charges again")
    func presence() throws {
        var fixture = F(people: 1000)
        let cap = MembershipSignal.presenceCap(minimumCount: 5)
        let presence = try #require(fixture.release([F.subject("chr5:7:T:G", fixture.everyone, frequency: 0, presenceOnly: true)]).value)
        #expect(presence.added == cap, "once per person, not per sample")
        #expect(try #require(fixture.plan([F.subject("chr5:7:T:G", fixture.everyone, frequency: 0, presenceOnly: true)]).value).deltas.isEmpty)
        // A presence release may say what it is charged (the gateway gives the cap of its own threshold).
        var told = F(people: 1000)
        let capAt100 = MembershipSignal.presenceCap(minimumCount: 100)
        var release = F.subject("chr5:8:T:G", told.everyone, frequency: 0, presenceOnly: true)
        release.pools[0].presenceCharge = capAt100
        #expect(try #require(told.release([release]).value).added == capAt100)
        #expect(capAt100 < 0.01, "a threshold far from k tells little: \(capAt100)")
        let counts = try #require(fixture.release([F.subject("chr5:7:T:G", fixture.everyone, frequency: 0.01)]).value)
        let full = MembershipSignal.charge(frequency: 0.01, cellSamples: 2000, noiseVariance: 0)
        #expect(counts.added == full + full)
        #expect(abs(fixture.account.spent - (cap + full + full)) < 1e-12)
        #expect(try #require(fixture.plan([F.subject("chr5:7:T:G", fixture.everyone, frequency: 0.01)]).value).deltas.isEmpty)
    }

    @Test("samples without a person count as their own person")
    func unmappedSamples() throws {
        var fixture = F(people: 100)
        // 210 samples: 200 mapped (100 people), 10 more beyond the mapping.
        let all = SampleSet.all(capacity: 210)
        let plan = try #require(fixture.release([F.subject("summary", all)]).value)
        #expect(plan.deltas.count == 110)
        #expect(fixture.account.exposure(of: .unmapped(sample: 205)) == MembershipSignal.charge(frequency: 0.5, cellSamples: 210, noiseVariance: 0))
        var withoutOne = all
        withoutOne.remove(205)
        #expect(fixture.plan([F.subject("summary", withoutOne)]).refusal?.people == 1)
    }

    @Test("minimum_difference_people is honoured", arguments: [2, 5, 10])
    func threshold(minimum: Int) {
        var fixture = F(people: 1000)
        fixture.settings.minimumDifferencePeople = minimum
        fixture.release([F.subject("chr1:1:A:G", fixture.everyone)])
        for removed in [1, minimum - 1, minimum] where removed >= 1 {
            let result = fixture.plan([F.subject("chr1:1:A:G", fixture.everyone(except: Set(0..<removed)))])
            #expect((result.refusal != nil) == (removed < minimum), "removing \(removed) with minimum \(minimum)")
        }
    }
}

extension PlanRefusal {
    var people: Int { if case .differencing(_, let people, _, _) = self { people } else { -1 } }
}

extension PartitionRuleTests {
    @Test("another statistic over a pool already answered is charged once; the same statistic again is free")
    func anotherStatistic() throws {
        var fixture = LedgerFixture(people: 100)
        func release(_ statistic: UInt8, _ pool: SampleSet) -> [SubjectRelease] {
            [SubjectRelease(subject: "chr7:5:A:G", pools: [PoolRelease(samples: pool, frequency: 0.2, noiseVariance: 2, statistic: statistic)])]
        }
        let everyone = fixture.everyone
        let alleles = try #require(fixture.release(release(ReleasedStatistic.alleleCounts, everyone)).value)
        #expect(alleles.added > 0)
        let carriers = try #require(fixture.release(release(ReleasedStatistic.carrierSamples, everyone)).value)
        #expect(carriers.added > 0 && carriers.added == alleles.added, "carriers: charged as a release of its own")
        #expect(try #require(fixture.plan(release(ReleasedStatistic.carrierSamples, everyone)).value).deltas.isEmpty, "carriers again: free")
        #expect(try #require(fixture.plan(release(ReleasedStatistic.alleleCounts, everyone)).value).deltas.isEmpty, "alleles again: free")
        #expect(fixture.account.subjects["chr7:5:A:G"]?.first?.statistics == ReleasedStatistic.alleleCounts | ReleasedStatistic.carrierSamples)
        // Another statistic over a cohort a few people apart is still refused (the same subject's cells).
        let refusal = fixture.plan(release(ReleasedStatistic.carrierPeople, fixture.everyone(except: [3])))
        #expect(refusal.refusal != nil)
    }
}
