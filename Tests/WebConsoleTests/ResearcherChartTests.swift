import GatewayCore
import Testing
@testable import WebConsole

/// The researcher pages' drawing and reading, alone: bars as long as their values, the region
/// track's marks at their positions and as tall as their frequencies, round ticks, the window
/// kept on its chromosome within its widths, and what the search box accepts.
@Suite("Web console: charts, regions and search terms")
struct ResearcherChartTests {
    @Test("a bar is as long as its value on the chart's scale; a suppressed bar has no length and keeps its text")
    func barLengths() {
        let chart = BarChart([.init(label: "All", value: 0.5, text: "0.5000"), .init(label: "Breast", value: 0.25, text: "0.2500"),
                              .init(label: "Lung", value: nil, text: "<5"), .init(label: "Odd", value: 2, text: "2")],
                             maximum: 1, labelWidth: 100, plotWidth: 400, rowHeight: 20)
        #expect(chart.bars.map(\.length) == [200, 100, 0, 400], "0.5 of 400, 0.25 of 400, none, clamped to the scale")
        #expect(chart.bars[2].isSuppressed && chart.bars[2].text == "<5")
        #expect(chart.bars.map(\.y) == [4, 24, 44, 64])
        #expect(chart.bars[1].textX == 100 + 100 + 6, "the value is written after the bar")
        #expect(chart.height == 4 * 20 + 8)
        let automatic = BarChart([.init(label: "a", value: 3, text: "3"), .init(label: "b", value: 12, text: "12")], plotWidth: 300)
        #expect(automatic.maximum == 12 && automatic.bars.map(\.length) == [75, 300], "the scale defaults to the largest value")
        let empty = BarChart([.init(label: "a", value: nil, text: "<5"), .init(label: "b", value: .nan, text: "?")])
        #expect(empty.maximum == 1 && empty.bars.allSatisfy { $0.length == 0 }, "nothing to show: no division by zero, no NaN")
    }

    @Test("the track: marks at their positions between the plot's edges, heights proportional to frequency, suppressed marks distinct")
    func trackMarks() {
        let window = GenomicRegion(referenceName: "chr17", start: 1_001, end: 2_001)
        let track = RegionTrack(window: window, variants: [
            .init(position: 1_001, frequency: 0.1, label: "a", link: "/a"), .init(position: 1_501, frequency: 0.05, label: "b", link: "/b"),
            .init(position: 2_001, frequency: nil, label: "c", link: "/c"), .init(position: 5_000, frequency: 0.2, label: "outside", link: "/x"),
        ], width: 900, height: 240)
        #expect(track.marks.map(\.variant.label) == ["a", "b", "c"], "a variant outside the window is not drawn")
        #expect(track.marks[0].x == track.left && track.marks[2].x == track.right)
        #expect(abs(track.marks[1].x - (track.left + track.right) / 2) < 1e-9)
        #expect(track.scaleMaximum == 0.1)
        let full = track.baseline - track.top
        #expect(abs(track.marks[0].height - full) < 1e-9 && abs(track.marks[1].height - full / 2) < 1e-9)
        #expect(track.marks[0].top + track.marks[0].height == track.baseline, "bars stand on the axis")
        #expect(track.marks[2].band == "suppressed" && track.marks[2].height == RegionTrack.suppressedHeight)
        #expect(track.marks.map(\.band) == ["common", "low", "suppressed"])
    }

    @Test("ticks: round steps, 4 to 10 of them, inside the window, at their positions", arguments: [100, 1_000, 30_001, 123_457, 2_000_000])
    func ticks(width: Int) {
        let window = GenomicRegion(referenceName: "1", start: 7_660_000, end: 7_660_000 + width - 1)
        let track = RegionTrack(window: window, variants: [])
        let step = RegionTrack.tickStep(width: width)
        #expect([1, 2, 5].contains(Int("\(step)".prefix(1))!) && "\(step)".dropFirst().allSatisfy { $0 == "0" }, "\(step)")
        #expect((4...11).contains(track.ticks.count), "\(width): \(track.ticks.count) ticks of \(step)")
        for tick in track.ticks {
            #expect(tick.position % step == 0 && window.start <= tick.position && tick.position <= window.end)
            #expect(abs(tick.x - track.x(of: tick.position)) < 1e-9 && tick.x >= track.left && tick.x <= track.right)
        }
        #expect(RegionTrack.tickStep(width: 30_000) == 5_000)
    }

    @Test("the window: zoom halves and doubles around the centre within the widths; pan moves half a window; all clamped to the chromosome")
    func window() {
        let length = 83_257_441
        let window = RegionWindow(GenomicRegion(referenceName: "chr17", start: 7_660_001, end: 7_690_000), chromosomeLength: length)
        #expect(window.zoomedIn.length == 15_000 && window.zoomedOut.length == 60_000)
        #expect(abs(window.zoomedIn.start + window.zoomedIn.length / 2 - window.centre) <= 1)
        #expect(window.pannedLeft == GenomicRegion(referenceName: "chr17", start: 7_645_001, end: 7_675_000))
        #expect(window.pannedRight == GenomicRegion(referenceName: "chr17", start: 7_675_001, end: 7_705_000))
        let start = RegionWindow(GenomicRegion(referenceName: "chr17", start: 1, end: 1_000), chromosomeLength: length)
        #expect(start.pannedLeft == start.region && !start.canPanLeft, "stops at position 1")
        let end = RegionWindow(GenomicRegion(referenceName: "chr17", start: length - 999, end: length), chromosomeLength: length)
        #expect(end.pannedRight == end.region && !end.canPanRight && end.canPanLeft, "stops at the chromosome's end")
        let off = RegionWindow(GenomicRegion(referenceName: "chr17", start: 90_000_000, end: 90_010_000), chromosomeLength: length)
        #expect(off.region.end == length && off.region.length == 10_001, "a window past the end is moved onto the chromosome")
        let narrow = RegionWindow(GenomicRegion(referenceName: "chr17", start: 500, end: 520), chromosomeLength: length)
        #expect(narrow.region.length == RegionWindow.minimumWidth && !narrow.canZoomIn)
        let wide = RegionWindow(GenomicRegion(referenceName: "chr17", start: 1, end: RegionWindow.maximumWidth), chromosomeLength: length)
        #expect(!wide.canZoomOut && wide.zoomedOut.length == RegionWindow.maximumWidth)
        let mito = RegionWindow(GenomicRegion(referenceName: "chrM", start: 1, end: 16_000), chromosomeLength: GRCh38Chromosomes.length(of: "chrM"))
        #expect(mito.zoomedOut == GenomicRegion(referenceName: "chrM", start: 1, end: 16_569), "cut to a chromosome shorter than the zoom")
        let unknown = RegionWindow(GenomicRegion(referenceName: "scaffold_1", start: GenomicRegion.maximumPosition - 10, end: GenomicRegion.maximumPosition),
                                   chromosomeLength: nil)
        #expect(unknown.pannedRight.end == GenomicRegion.maximumPosition && unknown.zoomedOut.end == GenomicRegion.maximumPosition, "no overflow at the last position")
    }

    @Test("search terms: regions, variants and gene names; anything else refused naming the parameter", arguments: [
        ("chr17:7660000-7690000", "region chr17:7660000-7690000"), ("17:7,660,000-7,690,000", "region 17:7660000-7690000"),
        ("chr17:7675088:C>T", "variant chr17:7675088:C>T"), ("17-7675088-c-t", "variant 17:7675088:C>T"),
        ("chr17:7675088 C>T", "variant chr17:7675088:C>T"), ("tp53", "gene TP53"), ("chr17:7690000-7660000", "error"),
        ("chr17:0-10", "error"), ("chr17:1-99999999999", "error"), ("<script>", "error"), ("chr17:7675088:C>Z", "error"),
        ("chr1:7:8:9:10", "error"), ("", "error"), ("chr<17>:1-2", "error"),
    ])
    func searchTerms(text: String, expected: String) {
        do {
            let term = try SearchTerm.parse(text, parameter: "q")
            let described = switch term {
            case .region(let region): "region \(region)"
            case .variant(let locus): "variant \(locus)"
            case .gene(let name): "gene \(name)"
            }
            #expect(described == expected)
        } catch {
            #expect(expected == "error", "\(text): \(error)")
            #expect(error.code == .badRequest && error.message.hasPrefix("q"), "\(error.message)")
        }
    }

    @Test("the gene table: known genes by any case, close names for a typo, spans that look right")
    func genes() {
        #expect(CancerGenes.gene(named: "tp53")?.region == GenomicRegion(referenceName: "chr17", start: 7_661_779, end: 7_687_546))
        #expect(CancerGenes.gene(named: "KRAS")?.chromosome == "chr12")
        #expect(CancerGenes.closeNames(to: "TP35").contains("TP53"))
        #expect(CancerGenes.closeNames(to: "BRCA").prefix(2) == ["BRCA1", "BRCA2"])
        #expect(CancerGenes.closeNames(to: "ZZZZZZZZ").isEmpty)
        #expect((30...60).contains(CancerGenes.all.count) && Set(CancerGenes.all.map(\.symbol)).count == CancerGenes.all.count)
        for gene in CancerGenes.all {
            let length = GRCh38Chromosomes.length(of: gene.chromosome)
            #expect(length != nil && gene.start < gene.end && gene.end <= length! && gene.region.length <= RegionWindow.maximumWidth, "\(gene.symbol)")
        }
    }

    @Test("every word the researcher's templates use exists in English and in Japanese; no inline style or script")
    func words() {
        for (template, source) in ConsoleTemplates.researcher {
            var rest = Substring(source)
            while let range = rest.range(of: "{{words.") {
                let key = String(rest[range.upperBound...].prefix { $0 != "}" })
                #expect(ConsoleText.allEnglish[key] != nil && ConsoleText.allJapanese[key] != nil, "\(template.rawValue): \(key)")
                rest = rest[range.upperBound...]
            }
        }
        #expect(Set(ConsoleText.researcherEnglish.keys) == Set(ConsoleText.researcherJapanese.keys), "every English word has its Japanese")
        for (template, source) in ConsoleTemplates.researcher {
            #expect(!source.contains("style=") && !source.contains("<style") && !source.contains("<script"), "the CSP allows no inline style or script: \(template.rawValue)")
        }
    }
}
