import AuditLog
import DisclosureControl
import Foundation
import GatewayCore
import GatewayPolicy
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import VariantStore
import WebConsole

extension ConsoleRoutes {
    /// Variants a list page shows at most (the next page starts after them).
    static let variantsPerPage = 50
    /// Variants the region viewer draws at most.
    static let variantsPerWindow = 200

    /// The researcher's data pages. Each builds the ``BeaconRequest`` the API call it shows
    /// would send and answers it through ``AggregateRoutes`` (the same decision and approval
    /// scope, cohort selection, disclosure control, noise and ledger charge), then draws it:
    /// - `/console/variants?region=`: `allele-frequency` with `strata=false` over the region;
    /// - `/console/variant?variant=`: `allele-frequency` of one variant, by cancer type and tissue;
    /// - `/console/region?region=`: the region viewer, `allele-frequency` with `strata=false` over the window;
    /// - `/console/cohort`: `cohort-summary`.
    static func registerResearcherData(on router: Router<GatewayRequestContext>, service: VariantQueryService,
                                       compiled: Result<ConsoleRenderer, GatewayError>) {
        router.get("/console/variants", access: .research, takesQuery: true) { request, context in
            try ConsoleFetchMetadata.refuseOtherSites(request)
            let (viewer, member, policy, parameters) = try viewer(request, context, taking: ConsoleDataFilters.names.union(["region"]))
            let filters = try ConsoleDataFilters(parameters)
            guard let text = parameters["region"] else { return toSearch(viewer, context) }
            let region = try boundedRegion(text)
            let answered = try await AggregateRoutes.frequencies(filters.beaconRequest(variant: try query(region), strata: false), context, service,
                                                                 limit: variantsPerPage)
            let words = ConsoleTextLookup(viewer.language)
            let answer = answered.answer
            let catalog = try await service.currentCatalog()
            let rows: [[String: Any]] = answer.variants.map { variant in
                let name = variantName(variant)
                return [
                    "name": name, "href": filters.link("/console/variant", [("variant", name)], language: viewer.language),
                    "type": variant.variantType, "filter": variant.filter,
                    "alleleCount": ConsoleFigures.count(variant.total.alleleCount), "alleleNumber": ConsoleFigures.count(variant.total.alleleNumber),
                    "frequency": ConsoleFigures.frequency(variant.total.alleleFrequency), "homozygous": ConsoleFigures.count(variant.total.homozygous),
                    "samples": ConsoleFigures.count(variant.total.samples),
                ]
            }
            var next: String?
            if answer.truncated, let resume = answered.resumeAt {
                let rest = GenomicRegion(referenceName: region.referenceName, start: max(resume, region.start + 1), end: region.end)
                if rest.start <= rest.end { next = filters.link("/console/variants", [("region", rest.description)], language: viewer.language) }
            }
            let values: [String: Any] = [
                "region": region.description, "variants": rows, "hasVariants": !rows.isEmpty, "next": next as Any,
                "cohortSamples": answer.cohortSamples.description, "restriction": answer.cohortRestriction as Any, "disclosure": answer.disclosure,
                "regionLink": filters.link("/console/region", [("region", region.description)], language: viewer.language),
                "filters": filters.formValues(catalog: catalog, approvals: policy.approvals(of: member.id), language: viewer.language),
            ]
            let html = try compiled.get().render(.init(template: .variants, title: words["dataVariantsOfRegion"], values: ConsoleFigures.present(values)), for: viewer)
            return try dataPage(html, kind: "console-variants", answer: answer, contributingSamples: answered.contributingSamples, context)
        }

        router.get("/console/variant", access: .research, takesQuery: true) { request, context in
            try ConsoleFetchMetadata.refuseOtherSites(request)
            let (viewer, member, policy, parameters) = try viewer(request, context, taking: ConsoleDataFilters.names.union(["variant"]))
            let filters = try ConsoleDataFilters(parameters)
            guard let text = parameters["variant"] else { return toSearch(viewer, context) }
            let locus = try VariantLocus.parse(text, parameter: "variant")
            let query = try VariantQuery(referenceName: locus.chromosome, start: [locus.position - 1], end: [], referenceBases: locus.reference,
                                         alternateBases: locus.alternate, assemblyId: nil, variantType: nil).validated()
            let answered = try await AggregateRoutes.frequencies(filters.beaconRequest(variant: query), context, service)
            let words = ConsoleTextLookup(viewer.language)
            let answer = answered.answer
            let catalog = try await service.currentCatalog()
            let window = RegionWindow(GenomicRegion(referenceName: locus.chromosome, start: max(1, locus.position - 500), end: locus.position + 500),
                                      chromosomeLength: GRCh38Chromosomes.length(of: locus.chromosome))
            var values: [String: Any] = [
                "variant": locus.description, "disclosure": answer.disclosure,
                "regionLink": filters.link("/console/region", [("region", window.region.description)], language: viewer.language),
                "filters": filters.formValues(catalog: catalog, approvals: policy.approvals(of: member.id), language: viewer.language),
            ]
            if let variant = answer.variants.first {
                values["found"] = true
                values["type"] = variant.variantType
                values["filter"] = variant.filter
                values["total"] = [
                    "frequency": variant.total.alleleFrequency.map(ConsoleFigures.frequencyText) ?? "–",
                    "alleleCount": variant.total.alleleCount.description, "alleleNumber": variant.total.alleleNumber.description,
                    "homozygous": variant.total.homozygous.description, "samples": variant.total.samples.description,
                ]
                func tissue(_ name: String) -> String { words[name == "tumour" ? "dataTumour" : "dataNormal"] }
                values["strata"] = variant.strata.map { stratum -> [String: Any] in
                    ["cancerType": stratum.cancerType.label, "tissue": tissue(stratum.tissue), "samples": ConsoleFigures.count(stratum.samples),
                     "alleleCount": ConsoleFigures.count(stratum.alleleCount), "alleleNumber": ConsoleFigures.count(stratum.alleleNumber),
                     "frequency": ConsoleFigures.frequency(stratum.alleleFrequency), "homozygous": ConsoleFigures.count(stratum.homozygous)]
                }
                func bar(_ label: String, _ frequency: Double?, _ alleleCount: DisclosedCount?) -> BarChart.Bar {
                    BarChart.Bar(label: label, value: frequency,
                                 text: frequency.map(ConsoleFigures.frequencyText) ?? (alleleCount?.isSuppressed == true ? alleleCount?.description ?? "–" : "–"))
                }
                let bars = [bar(words["dataAllSamples"], variant.total.alleleFrequency, variant.total.alleleCount)]
                    + variant.strata.map { bar("\($0.cancerType.label) · \(tissue($0.tissue))", $0.alleleFrequency, $0.alleleCount) }
                func extra(_ key: String, _ frequency: Double?, _ alleleCount: DisclosedCount?, _ alleleNumber: DisclosedCount?) -> [String: Any] {
                    ConsoleFigures.present(["key": key, "frequency": frequency.map { "\($0)" } as Any,
                                            "alleleCount": alleleCount?.description as Any, "alleleNumber": alleleNumber?.description as Any])
                }
                let extras = [extra("total", variant.total.alleleFrequency, variant.total.alleleCount, variant.total.alleleNumber)]
                    + variant.strata.map { extra("\($0.cancerType.id)|\($0.tissue)", $0.alleleFrequency, $0.alleleCount, $0.alleleNumber) }
                values["chart"] = ConsoleFigures.chart(BarChart(bars), caption: "\(words["dataByCancerTypeAndTissue"]): \(locus.description)", extras: extras,
                                                      totalFirst: true)
            }
            let html = try compiled.get().render(.init(template: .variant, title: words["dataVariantPage"], values: values), for: viewer)
            return try dataPage(html, kind: "console-variant", answer: answer, contributingSamples: answered.contributingSamples, context)
        }

        router.get("/console/region", access: .research, takesQuery: true) { request, context in
            try ConsoleFetchMetadata.refuseOtherSites(request)
            let (viewer, member, policy, parameters) = try viewer(request, context, taking: ConsoleDataFilters.names.union(["region"]))
            let filters = try ConsoleDataFilters(parameters)
            guard let text = parameters["region"] else { return toSearch(viewer, context) }
            let requested = try boundedRegion(text)
            let window = RegionWindow(requested, chromosomeLength: GRCh38Chromosomes.length(of: requested.referenceName))
            let answered = try await AggregateRoutes.frequencies(filters.beaconRequest(variant: try query(window.region), strata: false), context, service,
                                                                 limit: variantsPerWindow)
            let words = ConsoleTextLookup(viewer.language)
            let answer = answered.answer
            let catalog = try await service.currentCatalog()
            let track = RegionTrack(window: window.region, variants: answer.variants.map { variant in
                let name = variantName(variant)
                return RegionTrack.Variant(position: variant.start + 1, frequency: variant.total.alleleFrequency, label: name,
                                           link: filters.link("/console/variant", [("variant", name)], language: viewer.language))
            })
            func link(_ region: GenomicRegion, _ possible: Bool) -> Any {
                possible ? filters.link("/console/region", [("region", region.description)], language: viewer.language) : nil as String? as Any
            }
            let moves: [[String: Any]] = [[String: Any]]([
                ["name": "pan-left", "label": words["dataPanLeft"], "href": link(window.pannedLeft, window.canPanLeft)],
                ["name": "zoom-in", "label": words["dataZoomIn"], "href": link(window.zoomedIn, window.canZoomIn)],
                ["name": "zoom-out", "label": words["dataZoomOut"], "href": link(window.zoomedOut, window.canZoomOut)],
                ["name": "pan-right", "label": words["dataPanRight"], "href": link(window.pannedRight, window.canPanRight)],
            ]).map(ConsoleFigures.present)
            let values: [String: Any] = [
                "region": window.region.description, "moves": moves, "track": trackValues(track, caption: "\(words["dataFrequencyAxis"]) \(window.region.description)"),
                "listLink": filters.link("/console/variants", [("region", window.region.description)], language: viewer.language),
                "cohortSamples": answer.cohortSamples.description, "shown": track.marks.count, "truncated": answer.truncated, "disclosure": answer.disclosure,
                "filters": filters.formValues(catalog: catalog, approvals: policy.approvals(of: member.id), language: viewer.language),
            ]
            let html = try compiled.get().render(.init(template: .region, title: words["dataRegionViewer"], values: values), for: viewer)
            return try dataPage(html, kind: "console-region", answer: answer, contributingSamples: answered.contributingSamples, context)
        }

        router.get("/console/cohort", access: .research, takesQuery: true) { request, context in
            try ConsoleFetchMetadata.refuseOtherSites(request)
            let (viewer, member, policy, parameters) = try viewer(request, context, taking: ConsoleDataFilters.names)
            let filters = try ConsoleDataFilters(parameters)
            let answered = try await AggregateRoutes.summary(filters.beaconRequest(variant: nil), context, service)
            let words = ConsoleTextLookup(viewer.language)
            let answer = answered.answer
            let catalog = try await service.currentCatalog()
            func tissue(_ name: String) -> String { words[name == "tumour" ? "dataTumour" : "dataNormal"] }
            let bars = answer.strata.map { BarChart.Bar(label: "\($0.cancerType.label) · \(tissue($0.tissue))", value: $0.samples.value.map(Double.init), text: $0.samples.description) }
            let extras: [[String: Any]] = answer.strata.map { ["key": "\($0.cancerType.id)|\($0.tissue)"] }
            func summary(_ metric: AggregateRoutes.MetricSummary?) -> Any {
                metric.map { ["mean": String(format: "%.1f", $0.mean), "median": String(format: "%.1f", $0.median),
                              "low": String(format: "%.1f", $0.low), "high": String(format: "%.1f", $0.high)] } as Any
            }
            let qc: [[String: Any]] = answer.qualityControl.map { group in
                ["metrics": [("mappingRate", group.mappingRate), ("duplicateRate", group.duplicateRate), ("meanInsertSize", group.meanInsertSize),
                             ("meanDepth", group.meanDepth)].map { name, metric -> [String: Any] in
                    ConsoleFigures.present(["tissue": group.tissue, "tissueLabel": tissue(group.tissue), "samples": ConsoleFigures.count(group.samples),
                                            "metric": name, "label": words["data" + name.prefix(1).uppercased() + name.dropFirst()], "summary": summary(metric)])
                }]
            }
            let values: [String: Any] = [
                "cohortSamples": answer.cohortSamples.description, "cohortParticipants": answer.cohortParticipants.description,
                "restriction": answer.cohortRestriction as Any, "disclosure": answer.disclosure, "hasStrata": !bars.isEmpty,
                "chart": ConsoleFigures.chart(BarChart(bars, labelWidth: 260), caption: words["dataSamplesByCancerTypeAndTissue"], extras: extras),
                "strata": answer.strata.map { ["cancerType": $0.cancerType.label, "tissue": tissue($0.tissue), "samples": ConsoleFigures.count($0.samples)] },
                "qc": qc,
                "filters": filters.formValues(catalog: catalog, approvals: policy.approvals(of: member.id), language: viewer.language),
            ]
            let html = try compiled.get().render(.init(template: .cohort, title: words["dataCohortSummary"], values: ConsoleFigures.present(values)), for: viewer)
            return try dataPage(html, kind: "console-cohort", answer: answer, contributingSamples: answered.contributingSamples, context)
        }
    }

    /// A region from the `region` parameter, at most ``RegionWindow/maximumWidth`` bases wide.
    static func boundedRegion(_ text: String) throws(GatewayError) -> GenomicRegion {
        let region = try GenomicRegion.parse(text, parameter: "region")
        guard region.length <= RegionWindow.maximumWidth else {
            throw GatewayError(.badRequest, "region \(region) is \(ConsoleFigures.position(region.length)) bases wide; a page covers at most \(ConsoleFigures.position(RegionWindow.maximumWidth)): narrow it")
        }
        return region
    }

    /// The API's range query for `region` (0-based start, exclusive end).
    static func query(_ region: GenomicRegion) throws(GatewayError) -> VariantQuery {
        try VariantQuery(referenceName: region.referenceName, start: [region.beaconStart], end: [region.beaconEnd], referenceBases: nil,
                         alternateBases: nil, assemblyId: nil, variantType: nil).validated()
    }

    /// A listed variant as the console writes it, `chr17:7675088:C>T` (1-based).
    static func variantName(_ variant: AggregateRoutes.VariantFrequencies) -> String {
        "\(variant.referenceName):\(variant.start + 1):\(variant.referenceBases)>\(variant.alternateBases)"
    }

    /// A data page opened without what it shows (as the language switch does): the search.
    static func toSearch(_ viewer: ConsoleRenderer.Viewer, _ context: GatewayRequestContext) -> Response {
        context.record.withLockedValue { $0.returned = .init(kind: "console-search") }
        var headers = headers(contentType: "text/plain; charset=utf-8")
        headers[.location] = "/console/search" + (viewer.language == .japanese ? "?lang=ja" : "")
        return Response(status: .seeOther, headers: headers)
    }

    /// The region viewer's drawing as the template writes it.
    static func trackValues(_ track: RegionTrack, caption: String) -> [String: Any] {
        let c = BarChart.coordinate
        let colours = ["common": "#c53030", "low": "#dd6b20", "rare": "#2b6cb0", "suppressed": "#ffffff"]
        return [
            "width": c(track.width), "height": c(track.height), "left": c(track.left), "right": c(track.right), "top": c(track.top),
            "baseline": c(track.baseline), "scaleX": c(track.left - 6), "scaleMaximum": String(format: "%g", track.scaleMaximum),
            "axisLabelY": c(track.baseline + 42), "chromosome": track.window.referenceName, "caption": caption,
            "ticks": track.ticks.map { ["x": c($0.x), "position": $0.position, "label": ConsoleFigures.position($0.position),
                                        "baseline": c(track.baseline), "tickEnd": c(track.baseline + 6), "labelY": c(track.baseline + 20)] },
            "marks": track.marks.map { mark -> [String: Any] in
                let suppressed = mark.band == "suppressed"
                return ConsoleFigures.present(["href": mark.variant.link, "band": mark.band, "position": mark.variant.position,
                        "frequency": mark.variant.frequency.map { "\($0)" } as Any, "label": mark.variant.label,
                        "text": mark.variant.frequency.map(ConsoleFigures.frequencyText) ?? "–",
                        "x": c(mark.x - 2), "top": c(mark.top), "markWidth": "4", "height": c(mark.height),
                        "fill": colours[mark.band] ?? "#2b6cb0", "stroke": suppressed ? "#777777" : colours[mark.band] ?? "#2b6cb0", "suppressed": suppressed])
            },
        ]
    }
}
