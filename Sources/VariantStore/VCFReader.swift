import CHTSlib
import CHTSlibShim

/// Reads VCF, bgzipped VCF and BCF records through htslib, the reference parser bcftools uses.
///
/// Not thread-safe: one reader belongs to one ingest. Every failure is a ``VariantStoreError``
/// naming the file, the record (1-based, with CHROM:POS when known) and the reason; htslib's
/// own messages are silenced. Closes the file when released.
final class VCFReader {
    let path: String
    let sampleNames: [String]
    /// Records read successfully so far.
    private(set) var recordNumber = 0
    private let file: UnsafeMutablePointer<htsFile>
    private let header: UnsafeMutablePointer<bcf_hdr_t>
    private let record: UnsafeMutablePointer<bcf1_t>
    private var genotypeBuffer: UnsafeMutablePointer<Int32>?
    private var genotypeBufferCapacity: Int32 = 0

    /// Error bits htslib recovers from by adding a header definition (undefined contig or tag);
    /// bcftools accepts such records, and so do we. Every other bit refuses the record.
    private static let recoverableErrors = gg_bcf_error_contig_undefined() | gg_bcf_error_tag_undefined()

    /// Opens `path`; `threads` > 0 decompresses .gz/.bcf on that many extra threads.
    init(path: String, threads: Int) throws {
        gg_hts_silence()
        self.path = path
        guard let file = hts_open(path, "r") else {
            throw VariantStoreError(.unreadableFile, "Cannot open \(path) with htslib: the file does not exist, is not readable, or is not a recognised format.")
        }
        guard gg_hts_is_variant_file(file) != 0 else {
            hts_close(file)
            throw VariantStoreError(.invalidHeader, "\(path) is not a VCF or BCF file (htslib does not recognise its format); expected .vcf, .vcf.gz or .bcf.")
        }
        guard gg_hts_has_complete_end(file) != 0 else {
            hts_close(file)
            throw VariantStoreError(.unreadableFile, "\(path) ends without the BGZF end-of-file marker: it is truncated or still being written. Nothing was stored.")
        }
        if threads > 0 { _ = hts_set_threads(file, Int32(threads)) }
        guard let header = bcf_hdr_read(file) else {
            hts_close(file)
            throw VariantStoreError(.invalidHeader, "\(path): the VCF header is malformed or incomplete (htslib could not read it); check the ##fileformat line, the ## meta lines and the #CHROM line.")
        }
        guard let record = bcf_init() else {
            bcf_hdr_destroy(header)
            hts_close(file)
            throw VariantStoreError(.unreadableFile, "\(path): out of memory while opening.")
        }
        self.file = file
        self.header = header
        self.record = record
        self.sampleNames = (0..<Int(gg_bcf_sample_count(header))).map { String(cString: gg_bcf_sample_name(header, Int32($0))) }
    }

    deinit {
        free(genotypeBuffer)
        bcf_destroy(record)
        bcf_hdr_destroy(header)
        hts_close(file)
    }

    /// Bytes of the file consumed so far (compressed bytes for .gz and .bcf).
    var bytesRead: Int64 { gg_hts_bytes_read(file) }

    /// Reads the next record; `false` at the end of the file.
    func next() throws -> Bool {
        var columns: Int32 = 0
        let status = gg_bcf_read(file, header, record, &columns)
        if status == -1 { return false }
        guard status >= 0 else {
            throw failure("htslib could not parse it\(quotedLine)", known: false)
        }
        recordNumber += 1
        let errorCode = gg_bcf_error_code(record)
        if errorCode & ~Self.recoverableErrors != 0 {
            throw failure(Self.describe(errorCode: errorCode) + quotedLine, known: true)
        }
        // htslib ignores surplus columns (genotypes of no declared sample) and accepts lines
        // short of the 8 fixed columns; both are malformed.
        if columns > 0 {
            let expected = sampleNames.isEmpty ? 8...9 : (9 + sampleNames.count)...(9 + sampleNames.count)
            guard expected.contains(Int(columns)) else {
                throw failure("it has \(columns) columns, but the header's #CHROM line declares \(expected.upperBound == 9 ? "8" : "\(expected.upperBound)")" + quotedLine, known: true)
            }
        }
        // htslib reads an unparsable POS as 0 and only warns; VCF positions start at 1.
        guard gg_bcf_position(record) >= 1 else { throw failure("POS is missing or not a positive number" + quotedLine, known: true) }
        guard gg_bcf_unpack_sites(record) == 0 else { throw failure("htslib could not unpack its fields", known: true) }
        guard gg_bcf_allele_count(record) >= 1 else { throw failure("it has no REF allele", known: true) }
        return true
    }

    var chromosome: String { String(cString: gg_bcf_chromosome(header, record)) }
    /// POS, 1-based.
    var position: Int { Int(gg_bcf_position(record)) }
    /// END, 1-based inclusive (INFO/END when present, else the last base of REF).
    var end: Int { Int(gg_bcf_end(record)) }
    var alleleCount: Int { Int(gg_bcf_allele_count(record)) }

    func allele(_ index: Int) -> String { String(cString: gg_bcf_allele(record, Int32(index))) }

    /// FILTER of the current record: `nil` when it is `.`.
    var filters: [String]? {
        let count = gg_bcf_filter_count(record)
        guard count >= 0 else { return nil }
        return (0..<count).map { String(cString: gg_bcf_filter_name(header, record, $0)) }
    }

    /// The current record's GT values, sample-major with `valuesPerSample` slots per sample
    /// (padded with the vector-end marker), or `nil` when the record has no GT.
    /// The buffer is reused by the next call.
    func genotypes() throws -> (values: UnsafeBufferPointer<Int32>, valuesPerSample: Int)? {
        guard !sampleNames.isEmpty else { return nil }
        let count = gg_bcf_get_genotypes(header, record, &genotypeBuffer, &genotypeBufferCapacity)
        switch count {
        case -3:
            return nil
        case -2:
            throw failure("the header declares FORMAT/GT with a type other than String", known: true)
        case ..<0:
            throw failure("htslib could not decode its GT values (code \(count))", known: true)
        default:
            guard let genotypeBuffer, count % Int32(sampleNames.count) == 0 else {
                throw failure("its GT values do not match the \(sampleNames.count) samples of the header", known: true)
            }
            return (UnsafeBufferPointer(start: genotypeBuffer, count: Int(count)), Int(count) / sampleNames.count)
        }
    }

    /// An error about the current record (`known`: it was read, so CHROM:POS are valid).
    func failure(_ reason: String, known: Bool) -> VariantStoreError {
        let number = known ? recordNumber : recordNumber + 1
        var place = "record \(number)"
        let line = gg_hts_line_number(file)
        if line > 0 { place += ", line \(line)" }
        if known { place += " (\(chromosome):\(position))" }
        return VariantStoreError(.invalidRecord, "\(path): \(place): \(reason). Nothing from this file was stored.")
    }

    /// The first 120 bytes of the line htslib read last (text VCF only), columns separated by spaces.
    private var quotedLine: String {
        var length = 0
        guard let line = gg_hts_current_line(file, &length) else { return "" }
        let bytes = UnsafeRawBufferPointer(start: line, count: min(length, 120)).map { $0 == 0 || $0 == 9 ? 32 : $0 }
        return ": \"" + String(decoding: bytes, as: UTF8.self) + (length > 120 ? "...\"" : "\"")
    }

    private static func describe(errorCode: Int32) -> String {
        var reasons: [String] = []
        if errorCode & gg_bcf_error_column_count() != 0 { reasons.append("the number of columns does not match the number of samples in the header") }
        if errorCode & gg_bcf_error_limits() != 0 { reasons.append("a value exceeds htslib's limits (too many alleles, samples or values, or a position beyond 2^31)") }
        if errorCode & gg_bcf_error_character() != 0 { reasons.append("it contains an invalid character") }
        if errorCode & gg_bcf_error_contig_invalid() != 0 { reasons.append("its CHROM is not a valid contig name") }
        if errorCode & gg_bcf_error_tag_invalid() != 0 { reasons.append("an INFO or FORMAT tag is invalid or does not match its header definition") }
        if reasons.isEmpty { reasons.append("htslib reported error code \(errorCode)") }
        return reasons.joined(separator: "; ")
    }
}
