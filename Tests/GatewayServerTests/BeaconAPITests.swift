import DisclosureControl
import Foundation
import GatewayTestSupport
import Testing

/// The Beacon v2 endpoints over real mTLS, on ``BeaconCohort``; every response kind is
/// validated against the official schemas.
@Suite("Beacon v2 API")
struct BeaconAPITests {
    static func validate(_ body: [UInt8], _ schema: String) async throws {
        let result = try await BeaconSchemaTests.validate(body, schema: "responses/" + schema)
        #expect(result.status == 0, "\(schema): \(result.output)")
    }

    static func summary(_ body: [String: Any]) -> (exists: Bool?, count: Int?, granularity: String?) {
        let summary = body["responseSummary"] as? [String: Any]
        return (summary?["exists"] as? Bool, summary?["numTotalResults"] as? Int, (body["meta"] as? [String: Any])?["returnedGranularity"] as? String)
    }

    @Test("g_variants: count of visible variants in a range; a variant carried by fewer than k samples is not found")
    func genomicVariants() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let range = try await gateway.get("/api/g_variants?referenceName=1&start=0&end=5000&requestedGranularity=count", as: "researcher-jp")
            #expect(range.status == 200)
            #expect(Self.summary(try range.json()).count == 2, "1:1000 and 1:3000; 1:2000 has 3 carriers")
            try await Self.validate(range.body, "beaconCountResponse.json")

            let rare = try await gateway.get("/api/g_variants?referenceName=chr1&start=1999&alternateBases=T", as: "researcher-jp")
            #expect(Self.summary(try rare.json()).exists == false)
            try await Self.validate(rare.body, "beaconBooleanResponse.json")

            let common = try await gateway.get("/api/g_variants?referenceName=1&start=999&referenceBases=A&alternateBases=G", as: "researcher-jp")
            #expect(Self.summary(try common.json()).exists == true)
            #expect(Self.summary(try common.json()).granularity == "boolean")
        }
    }

    @Test("bracket queries: variants starting in [start0, start1] and ending in [end0, end1]")
    func bracketQuery() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let both = try await gateway.get("/api/g_variants?referenceName=1&start=999,2999&end=1000,3000&requestedGranularity=count", as: "researcher-jp")
            #expect(Self.summary(try both.json()).count == 2, "1:1000 and 1:3000 (1:2000 is below k)")
            let first = try await gateway.get("/api/g_variants?referenceName=1&start=999,1999&end=1000,2500&requestedGranularity=count", as: "researcher-jp")
            #expect(Self.summary(try first.json()).count == 1)
            let none = try await gateway.get("/api/g_variants?referenceName=1&start=1000,1500&end=1001,2500&requestedGranularity=count", as: "researcher-jp")
            #expect(Self.summary(try none.json()).count == 0)
            try await Self.validate(both.body, "beaconCountResponse.json")
        }
    }

    @Test("k counts people: a germline variant of 3 cases (6 samples with their normals) is not found anywhere")
    func kCountsPeople() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let site = "referenceName=1&start=3999&alternateBases=C"
            #expect(Self.summary(try await gateway.get("/api/g_variants?" + site, as: "researcher-jp").json()).exists == false)
            let samples = try await gateway.get("/api/biosamples?" + site + "&requestedGranularity=count", as: "researcher-jp")
            #expect(Self.summary(try samples.json()).exists == false)
            let range = try await gateway.get("/api/biosamples?referenceName=1&start=3500&end=4500&requestedGranularity=count", as: "researcher-jp")
            #expect(Self.summary(try range.json()).count == 0, "treated as absent: no count of its 6 carrier samples leaves")
            let frequencies = try await gateway.get("/api/aggregate/allele-frequency?" + site, as: "researcher-jp")
            #expect((try frequencies.json()["variants"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("record granularity is never served: the answer says count")
    func recordGranularityDowngraded() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let response = try await gateway.get("/api/biosamples?referenceName=1&start=2999&alternateBases=A&requestedGranularity=record", as: "researcher-jp")
            let summary = Self.summary(try response.json())
            #expect(summary.granularity == "count")
            #expect(summary.count == 58)
            #expect(!String(decoding: response.body, as: UTF8.self).contains("C0"), "no sample or participant id leaves")
            try await Self.validate(response.body, "beaconCountResponse.json")
        }
    }

    @Test("biosamples and individuals count carriers; filters narrow the cohort; POST bodies work as GET")
    func carrierCounts() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let variant = "referenceName=1&start=999&alternateBases=G&requestedGranularity=count"
            let biosamples = try await gateway.get("/api/biosamples?" + variant, as: "researcher-jp")
            #expect(Self.summary(try biosamples.json()).count == 41)
            let individuals = try await gateway.get("/api/individuals?" + variant, as: "researcher-jp")
            #expect(Self.summary(try individuals.json()).count == 22, "10 breast + 9 lung + 3 colorectal cases")
            let breast = try await gateway.get("/api/biosamples?" + variant + "&filters=NCIT:C4872", as: "researcher-jp")
            #expect(Self.summary(try breast.json()).count == 20)
            let tumours = try await gateway.get("/api/biosamples?" + variant + "&filters=NCIT:C18009,genomegate:qc-pass", as: "researcher-jp")
            #expect(Self.summary(try tumours.json()).count == 10 + 9 + 3)

            let body = #"{"meta": {"apiVersion": "2.0"}, "query": {"requestParameters": {"referenceName": "1", "start": [999], "alternateBases": "G"}, "filters": [{"id": "NCIT:C4872"}], "requestedGranularity": "count"}}"#
            let client = try await gateway.client("researcher-jp")
            let posted = try await offThread { try client.request("POST", "/api/biosamples", headers: [("Content-Type", "application/json")], body: Array(body.utf8)) }
            #expect(posted.status == 200)
            #expect(Self.summary(try posted.json()).count == 20)
        }
    }

    @Test("a count below k is never shown: it is answered as not found, and says why")
    func smallCountSuppressed() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let response = try await gateway.get("/api/biosamples?referenceName=1&start=1999&alternateBases=T&requestedGranularity=count", as: "researcher-jp")
            let json = try response.json()
            #expect(Self.summary(json).exists == false)
            #expect((Self.summary(json).count ?? 0) == 0, "the variant is treated as not found")
            #expect(((json["info"] as? [String: Any])?["disclosure"] as? String)?.contains("below 5") == true)
            #expect(!String(decoding: response.body, as: UTF8.self).contains("\"3\""))
            try await Self.validate(response.body, "beaconBooleanResponse.json")
        }
    }

    @Test("members abroad outside the EEA/UK count only donors who consented to overseas provision")
    func overseasRestriction() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data, disclosure: DisclosurePolicy(minimumCohortSize: 5)) { gateway in
            let query = "/api/biosamples?referenceName=1&start=2999&alternateBases=A&requestedGranularity=count"
            let abroad = try await gateway.get(query, as: "researcher-us")
            #expect(Self.summary(try abroad.json()).count == 10, "C01-C05, tumour and normal")
            #expect(((try abroad.json()["info"] as? [String: Any])?["cohortRestriction"] as? String)?.contains("overseas") == true)
            for member in ["researcher-de", "researcher-gb", "researcher-jp"] {
                let unrestricted = try await gateway.get(query, as: member)
                #expect(Self.summary(try unrestricted.json()).count == 58, "\(member)")
            }
        }
        try await TestGateway.with(dataDirectory: data) { gateway in
            let refused = try await gateway.get("/api/biosamples?referenceName=1&start=2999&alternateBases=A", as: "researcher-us")
            #expect(refused.status == 403, "10 samples is below the minimum cohort of 20")
            #expect(String(decoding: refused.body, as: UTF8.self).contains("cohort_too_small"))
            try await Self.validate(refused.body, "beaconErrorResponse.json")
        }
    }

    @Test("malformed queries get 400 in the Beacon error format, naming the problem", arguments: [
        ("referenceName=1&start=500&end=100", "start 500 must be less than end 100"),
        ("referenceName=1&start=10&alternateBases=G&assemblyId=GRCh37", "assemblyId"),
        ("referenceName=1&start=10&alternateBases=XYZ", "alternateBases"),
        ("referenceName=1&start=-4&alternateBases=G", "start must be whole numbers from 0 to 2147483647"),
        ("referenceName=1&start=10&alternateBases=G&filters=NCIT:C9999", "unknown filter term"),
        ("referenceName=1&start=ten&alternateBases=G", "start 'ten'"),
        ("referenceName=1&start=10&alternateBases=G&bogus=1", "unknown query parameter 'bogus'"),
        ("start=10&alternateBases=G", "referenceName is required"),
    ])
    func badQueries(query: String, mention: String) async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            let response = try await gateway.get("/api/g_variants?" + query, as: "researcher-jp")
            #expect(response.status == 400)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.contains(mention), "\(text)")
            try await Self.validate(response.body, "beaconErrorResponse.json")
        }
    }

    @Test("only researchers query data; the self-description is open to every member", arguments: ["auditor", "secretariat"])
    func roles(member: String) async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            for path in ["/api/g_variants?referenceName=1&start=999&alternateBases=G", "/api/biosamples", "/api/individuals",
                         "/api/aggregate/allele-frequency?referenceName=1&start=999&alternateBases=G", "/api/aggregate/cohort-summary"] {
                let refused = try await gateway.get(path, as: member)
                #expect(refused.status == 403, "\(member) \(path)")
                #expect(String(decoding: refused.body, as: UTF8.self).contains("role_forbidden"))
            }
            #expect(try await gateway.get("/api/map", as: member).status == 200)
        }
    }

    @Test("filtering terms, datasets, map, configuration and entry types validate against their schemas")
    func selfDescription() async throws {
        let data = try BeaconCohort.makeDataFolder()
        try await TestGateway.with(dataDirectory: data) { gateway in
            for (path, schema) in [
                ("/api/filtering_terms", "beaconFilteringTermsResponse.json"), ("/api/datasets", "beaconCollectionsResponse.json"),
                ("/api/map", "beaconMapResponse.json"), ("/api/configuration", "beaconConfigurationResponse.json"),
                ("/api/entry_types", "beaconEntryTypesResponse.json"),
            ] {
                let response = try await gateway.get(path, as: "researcher-jp")
                #expect(response.status == 200, "\(path)")
                try await Self.validate(response.body, schema)
            }
            let terms = String(decoding: try await gateway.get("/api/filtering_terms", as: "researcher-jp").body, as: UTF8.self)
            for term in ["NCIT:C4872", "NCIT:C4878", "NCIT:C2955", "NCIT:C18009", "genomegate:qc-pass"] { #expect(terms.contains(term)) }
        }
    }
}
