extension SampleSet {
    /// The membership bitmap, read-only: bit `i % 64` of word `i / 64` is sample `i`
    /// (`(capacity + 63) / 64` words; bits at or beyond ``capacity`` are clear). For code that
    /// combines many sets word by word without allocating (the privacy ledger's partitions).
    public var bitmapWords: [UInt64] { words }
}
