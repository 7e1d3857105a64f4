import GatewayCore

/// One participant: a tumour and a matched normal sample.
struct CohortCase: Sendable {
    /// 1-based number; ids are `P000123`, `GG000123-T` and `GG000123-N`.
    var number: Int
    var cancerType: DemoCancerType
    var overseasConsent: Bool
    /// The tumour/normal identity check found that the two samples come from different people.
    var identityMismatch: Bool
    var tumourQuality: QCMetrics
    var normalQuality: QCMetrics
}

/// Everything about the cohort except its variants, drawn once and shared by the
/// sample sheet and the VCF (a mismatched case's tumour gets another person's germline).
struct CohortPlan: Sendable {
    /// Share of cases the identity check flags as mismatched (69 of 8,975 in the programme's QC).
    static let identityMismatchShare = 69.0 / 8975.0
    /// Share of participants who consented to overseas provision.
    static let overseasConsentShare = 0.6

    let cases: [CohortCase]
    /// For each case, the index of the person whose germline the tumour carries:
    /// the case itself, or for a mismatched case one of the extra people after the cases.
    let tumourPerson: [Int]
    /// Number of people with a germline: the cases, one stranger per mismatched case,
    /// and the withheld cases.
    let people: Int
    /// Cases whose tumour carries a stranger's germline.
    let mismatchedCases: Int
    /// The withheld cases (numbered after the cases), outside the cohort files; the
    /// germline of withheld case `w` is person `firstWithheldPerson + w`.
    let withheldCases: [WithheldCase]
    var firstWithheldPerson: Int { people - withheldCases.count }

    /// A case drawn from the cohort's population but left out of its files.
    struct WithheldCase: Sendable {
        var number: Int
        var cancerType: DemoCancerType
    }

    init(options: DemoCohortOptions) {
        var generator = SeededGenerator(seed: options.seed, stream: 1)
        let cancerTypeWeights = DemoCancerType.catalogue.map(\.share).cumulativeSums()
        var cases: [CohortCase] = []
        cases.reserveCapacity(options.cases)
        for index in 0..<options.cases {
            let cancerType = DemoCancerType.catalogue[generator.pick(cumulativeWeights: cancerTypeWeights)]
            let overseasConsent = generator.chance(Self.overseasConsentShare)
            let tumourQuality = SequencingQualityModel.tumour.draw(using: &generator)
            let normalQuality = SequencingQualityModel.normal.draw(using: &generator)
            cases.append(CohortCase(
                number: index + 1, cancerType: cancerType, overseasConsent: overseasConsent,
                identityMismatch: false, tumourQuality: tumourQuality, normalQuality: normalQuality
            ))
        }
        // Exactly the programme's mismatch share (rounded), picked at random: a partial
        // Fisher-Yates shuffle of the case indices.
        var mismatchGenerator = SeededGenerator(seed: options.seed, stream: 2)
        let mismatchCount = Int((Double(options.cases) * Self.identityMismatchShare).rounded())
        var order = Array(0..<options.cases)
        var tumourPerson = Array(0..<options.cases)
        for position in 0..<mismatchCount {
            let chosen = position + mismatchGenerator.nextInt(below: options.cases - position)
            order.swapAt(position, chosen)
        }
        for (stranger, caseIndex) in order.prefix(mismatchCount).sorted().enumerated() {
            cases[caseIndex].identityMismatch = true
            tumourPerson[caseIndex] = options.cases + stranger
        }
        self.cases = cases
        self.tumourPerson = tumourPerson
        // Withheld cases draw from their own stream, so the cohort is the same with or without them.
        var withheldGenerator = SeededGenerator(seed: options.seed, stream: 3)
        withheldCases = (0..<options.withheldCases).map { index in
            WithheldCase(number: options.cases + index + 1,
                         cancerType: DemoCancerType.catalogue[withheldGenerator.pick(cumulativeWeights: cancerTypeWeights)])
        }
        self.mismatchedCases = mismatchCount
        self.people = options.cases + mismatchCount + options.withheldCases
    }

    /// The six-digit (or longer) case number used in ids.
    static func paddedNumber(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
    }

    static func tumourSampleID(_ number: Int) -> String { "GG\(paddedNumber(number))-T" }
    static func normalSampleID(_ number: Int) -> String { "GG\(paddedNumber(number))-N" }
    static func participantID(_ number: Int) -> String { "P\(paddedNumber(number))" }
}
