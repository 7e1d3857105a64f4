import DisclosureControl
import Testing

@Suite("SipHash-2-4")
struct SipHash24Tests {
    /// The reference implementation's vectors (vectors.h, `vectors_sip64`): key 00 01 .. 0f,
    /// message 00 01 .. (n-1). n = 0...17 covers every tail length and more than two blocks.
    static let referenceVectors: [(length: Int, hash: UInt64)] = [
        (0, 0x726f_db47_dd0e_0e31), (1, 0x74f8_39c5_93dc_67fd), (2, 0x0d6c_8009_d9a9_4f5a),
        (3, 0x8567_6696_d7fb_7e2d), (4, 0xcf27_94e0_2771_87b7), (5, 0x1876_5564_cd99_a68d),
        (6, 0xcbc9_466e_58fe_e3ce), (7, 0xab02_00f5_8b01_d137), (8, 0x93f5_f579_9a93_2462),
        (9, 0x9e00_82df_0ba9_e4b0), (10, 0x7a5d_bbc5_94dd_b9f3), (11, 0xf4b3_2f46_226b_ada7),
        (12, 0x751e_8fbc_860e_e5fb), (13, 0x14ea_5627_c084_3d90), (14, 0xf723_ca90_8e7a_f2ee),
        (15, 0xa129_ca61_49be_45e5), (16, 0x3f2a_cc7f_57c2_9bdb), (17, 0x699a_e9f5_2cbe_4794),
    ]

    static let referenceKey = SipHash24(key: (0..<16).map { UInt8($0) })!

    @Test("matches the reference vectors", arguments: referenceVectors)
    func referenceVector(length: Int, hash: UInt64) {
        let message = (0..<length).map { UInt8($0) }
        #expect(Self.referenceKey.hash(message) == hash)
    }

    @Test("key bytes are read little-endian")
    func keyWords() {
        #expect(Self.referenceKey.key0 == 0x0706_0504_0302_0100)
        #expect(Self.referenceKey.key1 == 0x0f0e_0d0c_0b0a_0908)
    }

    @Test("a key of the wrong length is refused", arguments: [0, 15, 17, 32])
    func wrongKeyLength(length: Int) {
        #expect(SipHash24(key: [UInt8](repeating: 1, count: length)) == nil)
    }

    @Test("hash(word:) equals the hash of the word's 8 little-endian bytes",
          arguments: [UInt64(0), 1, 0x0706_0504_0302_0100, .max, 1 << 63])
    func wordFastPath(word: UInt64) {
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) }
        #expect(Self.referenceKey.hash(word: word) == Self.referenceKey.hash(bytes))
    }

    @Test("the 8-byte reference vector through hash(word:)")
    func wordReferenceVector() {
        #expect(Self.referenceKey.hash(word: 0x0706_0504_0302_0100) == 0x93f5_f579_9a93_2462)
    }
}
