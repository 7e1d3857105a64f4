/// The Beacon's self-description: configuration, map and entry types.
enum BeaconDocuments {
    struct EntryType: Encodable, Sendable {
        struct Term: Encodable, Sendable { var id: String; var label: String }
        struct SchemaReference: Encodable, Sendable {
            var id: String
            var name: String
            var referenceToSchemaDefinition: String
            var schemaVersion = "v2.0.0"
        }
        var id: String
        var name: String
        var ontologyTermForThisType: Term
        var partOfSpecification = "Beacon v2.0.0"
        var defaultSchema: SchemaReference
        var description: String
        var nonFilteredQueriesAllowed = true
    }

    static let schemaBase = "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/models/json/beacon-v2-default-model"

    static let entryTypeMap: [String: EntryType] = [
        "genomicVariant": EntryType(
            id: "genomicVariant", name: "Genomic variant",
            ontologyTermForThisType: .init(id: "ENSGLOSSARY:0000092", label: "Variant"),
            defaultSchema: .init(id: "beacon-g_variant-v2.0.0", name: "Default schema for a genomic variation",
                                 referenceToSchemaDefinition: schemaBase + "/genomicVariations/defaultSchema.json"),
            description: "Variants in the programme's whole genomes; answered as boolean or count only"),
        "individual": EntryType(
            id: "individual", name: "Individual",
            ontologyTermForThisType: .init(id: "NCIT:C25190", label: "Person"),
            defaultSchema: .init(id: "beacon-individual-v2.0.0", name: "Default schema for an individual",
                                 referenceToSchemaDefinition: schemaBase + "/individuals/defaultSchema.json"),
            description: "Cases (participants); answered as counts only"),
        "biosample": EntryType(
            id: "biosample", name: "Biosample",
            ontologyTermForThisType: .init(id: "NCIT:C70699", label: "Biospecimen"),
            defaultSchema: .init(id: "beacon-biosample-v2.0.0", name: "Default schema for a biosample",
                                 referenceToSchemaDefinition: schemaBase + "/biosamples/defaultSchema.json"),
            description: "Tumour and normal samples; answered as counts only"),
        "dataset": EntryType(
            id: "dataset", name: "Dataset",
            ontologyTermForThisType: .init(id: "NCIT:C47824", label: "Data set"),
            defaultSchema: .init(id: "beacon-dataset-v2.0.0", name: "Default schema for datasets",
                                 referenceToSchemaDefinition: schemaBase + "/datasets/defaultSchema.json"),
            description: "Datasets with their consent as DUO codes"),
    ]

    struct Meta: Encodable, Sendable {
        var beaconId = BeaconResponses.beaconID
        var apiVersion = BeaconResponses.apiVersion
        var returnedSchemas: [BeaconResponses.SchemaReference]
    }

    struct Configuration: Encodable, Sendable {
        struct Maturity: Encodable, Sendable { var productionStatus = "PROD" }
        struct Security: Encodable, Sendable {
            var defaultGranularity = "boolean"
            var securityLevels = ["CONTROLLED"]
        }
        var schema = "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/configuration/beaconConfigurationSchema.json"
        var maturityAttributes = Maturity()
        var securityAttributes = Security()
        var entryTypes = entryTypeMap
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case maturityAttributes, securityAttributes, entryTypes
        }
    }

    struct Map: Encodable, Sendable {
        struct EndpointSet: Encodable, Sendable {
            var entryType: String
            var rootUrl: String
        }
        var schema = "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/configuration/beaconMapSchema.json"
        var endpointSets: [String: EndpointSet] = [
            "genomicVariant": .init(entryType: "genomicVariant", rootUrl: "https://localhost/api/g_variants"),
            "individual": .init(entryType: "individual", rootUrl: "https://localhost/api/individuals"),
            "biosample": .init(entryType: "biosample", rootUrl: "https://localhost/api/biosamples"),
            "dataset": .init(entryType: "dataset", rootUrl: "https://localhost/api/datasets"),
        ]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case endpointSets
        }
    }

    struct Informational<Body: Encodable & Sendable>: Encodable, Sendable {
        var meta: Meta
        var response: Body
    }

    struct EntryTypesBody: Encodable, Sendable { var entryTypes = entryTypeMap }

    static let configuration = Informational(meta: Meta(returnedSchemas: [.init(entityType: "configuration", schema: "beacon-configuration-v2.0.0")]), response: Configuration())
    static let map = Informational(meta: Meta(returnedSchemas: [.init(entityType: "map", schema: "beacon-map-v2.0.0")]), response: Map())
    static let entryTypes = Informational(meta: Meta(returnedSchemas: [.init(entityType: "entryType", schema: "beacon-entry-types-v2.0.0")]), response: EntryTypesBody())
}
