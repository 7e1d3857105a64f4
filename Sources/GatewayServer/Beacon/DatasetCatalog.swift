import Foundation
import GatewayCore
import PolicyStore
import Yams

/// Dataset descriptions and their consent (GA4GH DUO codes), from YAML.
///
/// ```yaml
/// datasets:
///   - id: demo-wgs
///     name: Demo whole genomes
///     description: Synthetic tumour/normal pairs
///     duo: [{id: "DUO:0000042", label: "general research use"}]
/// ```
public struct DatasetCatalog: Sendable {
    public struct Dataset: Sendable, Codable, Hashable {
        public struct DataUse: Sendable, Codable, Hashable {
            public var id: String
            public var label: String?
            public var modifiers: [String]?
        }
        public var id: String
        public var name: String
        public var description: String?
        public var duo: [DataUse]?
    }

    public var datasets: [Dataset]

    public init(datasets: [Dataset] = []) { self.datasets = datasets }

    public static func load(_ path: String) throws(GatewayError) -> DatasetCatalog {
        struct Document: Decodable { var datasets: [Dataset] }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return DatasetCatalog(datasets: try YAMLDecoder().decode(Document.self, from: text).datasets)
        } catch {
            throw GatewayError(.invalidConfiguration, "dataset catalogue \(path): \(YAMLErrorText.describe(error))")
        }
    }

    public func dataset(_ id: String) -> Dataset? { datasets.first { $0.id == id } }
}
