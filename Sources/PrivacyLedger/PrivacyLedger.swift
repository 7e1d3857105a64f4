/// The disclosure ledger: what each approval and member has been told about whom.
///
/// See README "Privacy". Placeholder until the ledger lands.
public enum PrivacyLedgerModule {}
