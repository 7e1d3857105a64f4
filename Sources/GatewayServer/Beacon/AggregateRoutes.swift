import DisclosureControl
import Foundation
import GatewayCore
import GatewayPolicy
import Hummingbird
import PrivacyLedger
import VariantStore

/// gnomAD-style aggregates: allele frequencies stratified by cancer type and
/// tissue, and a cohort summary with the QC table. Every number passes through
/// ``DisclosureControl``.
enum AggregateRoutes {
    static func register(on router: Router<GatewayRequestContext>, service: VariantQueryService) {
        router.get("/api/aggregate/allele-frequency", access: .research, takesQuery: true) { request, context in
            try await alleleFrequency(request, context, service)
        }
        router.get("/api/aggregate/cohort-summary", access: .research, takesQuery: true) { request, context in
            try await cohortSummary(request, context, service)
        }
    }

    struct Stratum: Encodable, Sendable {
        var cancerType: OntologyTerm
        var tissue: String
        var samples: DisclosedCount
        var alleleCount: DisclosedCount?
        var alleleNumber: DisclosedCount?
        var alleleFrequency: Double?
        var homozygous: DisclosedCount?
    }

    struct Totals: Encodable, Sendable {
        var samples: DisclosedCount
        var alleleCount: DisclosedCount
        var alleleNumber: DisclosedCount
        var alleleFrequency: Double?
        var homozygous: DisclosedCount
    }

    struct VariantFrequencies: Encodable, Sendable {
        var referenceName: String
        var start: Int
        var referenceBases: String
        var alternateBases: String
        var variantType: String
        var filter: String
        var total: Totals
        var strata: [Stratum]
    }

    struct FrequencyAnswer: Encodable, Sendable {
        var cohortSamples: DisclosedCount
        var cohortRestriction: String?
        var variants: [VariantFrequencies]
        var truncated: Bool
        var disclosure: String
    }

    static func alleleFrequency(_ request: Request, _ context: GatewayRequestContext, _ service: VariantQueryService) async throws -> Response {
        let beaconRequest = try await BeaconRoutes.parse(request, context, kinds: [.alleleFrequency])
        let answered = try await frequencies(beaconRequest, context, service)
        return try JSONResponse.answer(answered.answer, kind: QueryKind.alleleFrequency.rawValue, contributingSamples: answered.contributingSamples, context: context)
    }

    /// The allele-frequency answer to a parsed request: decided, selected, protected, perturbed
    /// and charged to the ledger exactly as the API answers it (the console's pages call this
    /// too). `limit` (at most the service's) cuts the answer sooner; `resumeAt` is then the
    /// 1-based position of the first variant not passed.
    static func frequencies(_ beaconRequest: BeaconRequest, _ context: GatewayRequestContext, _ service: VariantQueryService, limit wanted: Int? = nil)
        async throws -> (answer: FrequencyAnswer, contributingSamples: Int, resumeAt: Int?)
    {
        guard let query = beaconRequest.variant else {
            throw GatewayError(.badRequest, "allele-frequency needs referenceName and start (and alternateBases, or an end)")
        }
        let grant = try AccessControl.authorize(beaconRequest.dataQuery(.alleleFrequency), context)
        let selection = try await service.select(beaconRequest, under: grant)
        let (catalog, cohort) = (selection.catalog, selection.cohort)
        let control = service.disclosure
        guard control.admitsCohort(size: cohort.count) else { throw BeaconRoutes.cohortTooSmall(control) }
        // Without strata the table has one row, the whole cohort, and only its totals are shown.
        let stratified = beaconRequest.strata ?? true
        let strata = stratified ? catalog.strata(in: cohort) : [(cancerType: "", tissue: Tissue.tumour, samples: cohort)]
        var answers: [VariantFrequencies] = []
        var truncated = false
        var releases = AnswerReleases(noiseVariance: service.noiseVariance)
        let listed = try await service.listedVariants(query, in: selection)
        // Only alleles at least privacy.rare_frequency frequent in the cohort are listed: a rarer
        // one's count would single out its few carriers (README "Privacy"). Leaving one out is
        // charged what that outcome can tell.
        let commonSubjects = Set(service.commonVariants(listed.shown, in: selection).map(\.subject))
        // In position order, so that an answer cut at its limit releases nothing past its last
        // variant; every variant it passes, listed or not, counts toward the limit.
        let ordered = (listed.hidden + listed.shown).sorted { ($0.position, $0.alternate) < ($1.position, $1.alternate) }
        let limit = min(wanted ?? service.variantsPerAnswer, service.variantsPerAnswer)
        var resumeAt: Int?
        let threshold = service.listingThreshold(in: selection)
        // Each pool's cell key once per answer, not once per count and variant.
        let cohortKey = service.cellKey(cohort)
        let poolKeys = stratified ? strata.map { service.cellKey($0.samples) } : [cohortKey]
        for (passed, variant) in ordered.enumerated() {
            guard passed < limit else { truncated = true; resumeAt = variant.position; break }
            guard commonSubjects.contains(variant.subject) else {
                releases.listing(variant, in: selection, threshold: threshold)
                continue
            }
            let rows = strata.map { stratum -> [Int] in
                let counts = variant.genotypes.counts(in: stratum.samples)
                let samples = stratum.samples.count
                // Measures a reader can derive from the shown ones are protected too.
                return [samples, counts.carriers, counts.alleleCount, counts.homozygous, counts.alleleNumber,
                        counts.carriers - counts.homozygous, samples - counts.carriers, 2 * samples - counts.alleleNumber]
            }
            let table = StratifiedTable(
                measures: ["samples", "carriers", "alleleCount", "homozygous", "alleleNumber", "heterozygous", "nonCarriers", "uncalledAlleles"],
                values: rows,
                sensitiveMeasures: ["samples", "carriers", "alleleCount", "homozygous", "heterozygous", "nonCarriers", "uncalledAlleles"])
            let protected = control.protect(table)
            // Shown counts of people and their alleles are perturbed by their cell keys (README "Privacy").
            let subject = variant.subject
            let carriers = variant.genotypes.copies.first ?? SampleSet(capacity: catalog.capacity)
            let homozygous = variant.genotypes.homozygous
            // An allele count may move by a share of its allele number, so its frequency stays within it.
            func releasedCells(_ cells: [DisclosedCount], over samples: SampleSet, poolKey: UInt64) -> [DisclosedCount] {
                var cells = cells
                let noise = service.alleleCountNoise(alleleNumber: cells[4].value ?? 0)
                // The cohort's composition (samples, and the allele number that follows from them) is
                // perturbed too: two answers a person apart must not say which stratum that person is in.
                cells[0] = service.released(cells[0], contributorsKey: poolKey, statistic: "samples", subject: "", poolKey: poolKey)
                cells[4] = service.released(cells[4], contributorsKey: poolKey, statistic: "alleleNumber", subject: subject, poolKey: poolKey)
                cells[2] = service.released(cells[2], contributors: carriers.intersection(samples), statistic: "alleleCount", subject: subject, maximumNoise: noise, poolKey: poolKey)
                cells[3] = service.released(cells[3], contributors: homozygous.intersection(samples), statistic: "homozygous", subject: subject, maximumNoise: noise, poolKey: poolKey)
                return cells
            }
            func noiseVariance(_ cells: [DisclosedCount]) -> Double {
                VariantQueryService.variance(maximumNoise: service.alleleCountNoise(alleleNumber: cells[4].value ?? 0))
            }
            let shownStrata: [Stratum] = !stratified ? [] : strata.enumerated().map { index, stratum in
                let cells = releasedCells(protected.cells[index], over: stratum.samples, poolKey: poolKeys[index])
                return Stratum(
                    cancerType: OntologyTerm(id: stratum.cancerType, label: catalog.cancerTypeLabels[stratum.cancerType] ?? stratum.cancerType),
                    tissue: stratum.tissue.rawValue, samples: cells[0], alleleCount: cells[2], alleleNumber: cells[4],
                    alleleFrequency: control.frequency(alleleCount: cells[2], alleleNumber: cells[4]), homozygous: cells[3])
            }
            let totals = releasedCells(protected.totals, over: cohort, poolKey: cohortKey)
            // A total hidden by disclosure control (a few non-carriers, say) releases only that the variant is listed.
            guard totals[2].value != nil else {
                releases.listing(variant, in: selection, threshold: threshold)
                answers.append(VariantFrequencies(
                    referenceName: variant.chromosome, start: variant.position - 1, referenceBases: variant.reference,
                    alternateBases: variant.alternate, variantType: variant.variantType.beaconName, filter: (variant.filters ?? ["."]).joined(separator: ";"),
                    total: Totals(samples: totals[0], alleleCount: totals[2], alleleNumber: totals[4], alleleFrequency: nil, homozygous: totals[3]),
                    strata: shownStrata))
                continue
            }
            var pools = [(samples: cohort, frequency: AnswerReleases.frequency(totals[2].value, totals[4].value), noiseVariance: noiseVariance(totals))]
            for (index, stratum) in shownStrata.enumerated() where stratified && !protected.suppressedStrata.contains(index) {
                pools.append((strata[index].samples, AnswerReleases.frequency(stratum.alleleCount?.value, stratum.alleleNumber?.value),
                              noiseVariance(protected.cells[index])))
            }
            releases.counts(subject, pools: pools)
            answers.append(VariantFrequencies(
                referenceName: variant.chromosome, start: variant.position - 1, referenceBases: variant.reference,
                alternateBases: variant.alternate, variantType: variant.variantType.beaconName, filter: (variant.filters ?? ["."]).joined(separator: ";"),
                total: Totals(samples: totals[0], alleleCount: totals[2], alleleNumber: totals[4],
                              alleleFrequency: control.frequency(alleleCount: totals[2], alleleNumber: totals[4]), homozygous: totals[3]),
                strata: shownStrata))
        }
        try service.accounting.charge(releases.subjects, grant: grant, catalog: catalog, context: context)
        let answer = FrequencyAnswer(
            cohortSamples: service.released(control.count(cohort.count), contributorsKey: cohortKey, statistic: "samples", subject: "", poolKey: cohortKey),
            cohortRestriction: selection.restriction,
            variants: answers, truncated: truncated, disclosure: disclosureNote(control))
        return (answer, cohort.count, resumeAt)
    }

    static func disclosureNote(_ control: DisclosureControl) -> String {
        let k = control.policy.minimumCellCount
        return "Counts in 1..\(k - 1) read \"<\(k)\", with complementary suppression so no hidden cell follows from totals; frequencies only where the allele number is at least \(control.policy.minimumAlleleNumberForFrequency); variants carried by fewer than \(k) people are not listed; QC statistics only for groups of at least \(control.policy.minimumCohortSize) samples, with low and high the \(k)th smallest and largest values."
    }

    /// A QC metric of a group: mean and median, and instead of the extremes (single samples'
    /// values) the k-th smallest and k-th largest values; all rounded to 0.1.
    struct MetricSummary: Encodable, Sendable {
        var mean: Double
        var median: Double
        var low: Double
        var high: Double

        init?(_ values: [Double], k: Int) {
            guard values.count >= 2 * k else { return nil }
            let sorted = values.sorted()
            func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
            let middle = sorted.count / 2
            mean = rounded(sorted.reduce(0, +) / Double(sorted.count))
            median = rounded(sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle])
            low = rounded(sorted[k - 1])
            high = rounded(sorted[sorted.count - k])
        }
    }

    struct TissueQC: Encodable, Sendable {
        var tissue: String
        var samples: DisclosedCount
        var mappingRate: MetricSummary?
        var duplicateRate: MetricSummary?
        var meanInsertSize: MetricSummary?
        var meanDepth: MetricSummary?
    }

    struct CohortSummaryAnswer: Encodable, Sendable {
        var cohortSamples: DisclosedCount
        var cohortParticipants: DisclosedCount
        var cohortRestriction: String?
        var strata: [Stratum]
        var qualityControl: [TissueQC]
        var disclosure: String
    }

    /// Samples per cancer type x tissue, and per tissue the QC table. Tissue totals are shown only
    /// when no stratum is hidden (otherwise a hidden stratum would follow from them), the
    /// participant count only when it does not reveal a small number of paired cases, and QC
    /// statistics only for tissues of at least the minimum cohort size.
    static func cohortSummary(_ request: Request, _ context: GatewayRequestContext, _ service: VariantQueryService) async throws -> Response {
        let beaconRequest = try await BeaconRoutes.parse(request, context, kinds: [.cohortSummary], variantsAllowed: false)
        let answered = try await summary(beaconRequest, context, service)
        return try JSONResponse.answer(answered.answer, kind: QueryKind.cohortSummary.rawValue, contributingSamples: answered.contributingSamples, context: context)
    }

    /// The cohort summary of a parsed request, decided and charged exactly as the API answers
    /// it (the console's cohort page calls this too).
    static func summary(_ beaconRequest: BeaconRequest, _ context: GatewayRequestContext, _ service: VariantQueryService)
        async throws -> (answer: CohortSummaryAnswer, contributingSamples: Int)
    {
        let grant = try AccessControl.authorize(beaconRequest.dataQuery(.cohortSummary), context)
        let selection = try await service.select(beaconRequest, under: grant)
        let (catalog, cohort) = (selection.catalog, selection.cohort)
        let control = service.disclosure
        guard control.admitsCohort(size: cohort.count) else { throw BeaconRoutes.cohortTooSmall(control) }
        let stratified = beaconRequest.strata ?? true
        let strata = stratified ? catalog.strata(in: cohort) : [(cancerType: "", tissue: Tissue.tumour, samples: cohort)]
        let protected = control.protect(StratifiedTable(measures: ["samples"], values: strata.map { [$0.samples.count] }))
        let rows = !stratified ? [] : strata.enumerated().map { index, stratum in
            Stratum(cancerType: OntologyTerm(id: stratum.cancerType, label: catalog.cancerTypeLabels[stratum.cancerType] ?? stratum.cancerType),
                    tissue: stratum.tissue.rawValue, samples: protected.cells[index][0])
        }
        let k = control.policy.minimumCellCount
        // Without strata, the tissues are the table that must not give away a hidden cell.
        let tissueTable = StratifiedTable(measures: ["samples"], values: [Tissue.normal, .tumour].map { tissue in
            [catalog.byTissue[tissue].map { $0.intersectionCount(cohort) } ?? 0]
        })
        let tissueTotalsShown = stratified ? protected.suppressedStrata.isEmpty : control.protect(tissueTable).suppressedStrata.isEmpty
        var qualityControl: [TissueQC] = []
        for tissue in [Tissue.normal, .tumour] {
            let members = catalog.samples.filter { $0.tissue == tissue && cohort.contains($0.index) }
            let showable = tissueTotalsShown && members.count >= control.policy.minimumCohortSize
            func summary(_ value: (QCMetrics) -> Double) -> MetricSummary? {
                showable ? MetricSummary(members.map { value($0.qc) }, k: k) : nil
            }
            qualityControl.append(TissueQC(
                tissue: tissue.rawValue, samples: tissueTotalsShown ? control.count(members.count) : .suppressed(threshold: k),
                mappingRate: summary(\.mappingRate), duplicateRate: summary(\.duplicateRate),
                meanInsertSize: summary(\.meanInsertSize), meanDepth: summary(\.meanDepth)))
        }
        var releases = AnswerReleases(noiseVariance: 0)
        releases.composition("cohort-summary", pools: [cohort] + strata.indices.filter { stratified && !protected.suppressedStrata.contains($0) }.map { strata[$0].samples })
        try service.accounting.charge(releases.subjects, grant: grant, catalog: catalog, context: context)
        let participants = catalog.participantCount(in: cohort)
        let paired = cohort.count - participants  // cases with both samples in the cohort
        let participantsShown = control.isShowable(paired) ? control.count(participants) : .suppressed(threshold: k)
        let answer = CohortSummaryAnswer(
            cohortSamples: protected.totals[0], cohortParticipants: participantsShown,
            cohortRestriction: selection.restriction, strata: rows, qualityControl: qualityControl,
            disclosure: disclosureNote(control))
        return (answer, cohort.count)
    }
}
