/// The console's words in each language, by key: the shared ones here, each group's in
/// `ConsoleText+Researcher.swift`, `+Visiting`, `+Secretariat` and `+Audit` (a key is defined once; a test
/// checks). A key missing in Japanese falls back to English.
public enum ConsoleText {
    static let groupsEnglish = [researcherEnglish, visitingEnglish, secretariatEnglish, auditEnglish]
    static let groupsJapanese = [researcherJapanese, visitingJapanese, secretariatJapanese, auditJapanese]
    static let allEnglish = groupsEnglish.reduce(english) { $0.merging($1) { first, _ in first } }
    static let allJapanese = groupsJapanese.reduce(japanese) { $0.merging($1) { first, _ in first } }
    static let mergedJapanese = allEnglish.merging(allJapanese) { _, japanese in japanese }

    static let english: [String: String] = [
        "home": "Home", "approvals": "My approvals", "allApprovals": "Approvals", "signedInAs": "Signed in as",
        "member": "Member", "organization": "Organization", "country": "Country", "role": "Role",
        "certificate": "Certificate", "policyVersion": "Policy version", "tls": "Connection",
        "pages": "Your pages", "approval": "Approval", "title": "Title", "purpose": "Purpose",
        "validity": "Valid", "status": "Status", "allows": "Allows", "budget": "Privacy budget",
        "spent": "spent", "remaining": "remaining", "noApprovals": "You have no approvals.",
        "ledgerOff": "The disclosure ledger is off.",
        "footer": "Every page is decided and audited like an API call. Aggregates only; counts below the threshold read \"<k\".",
        "members": "Members", "actions": "Decide", "reason": "Reason", "suspend": "Suspend", "reinstate": "Reinstate", "revoke": "Revoke",
        "auditLog": "Audit log", "decision": "Decision", "filter": "Filter", "export": "Export", "time": "Time", "request": "Request",
        "answer": "Answer", "next": "Next page", "noRecords": "No records match.", "any": "any", "from": "From", "to": "To",
        "approvalFilter": "Approval", "checkpoint": "Signed up to record",
        "forbidden": "Not for your role", "notFound": "No such page", "error": "Refused",
    ]

    static let japanese: [String: String] = [
        "home": "ホーム", "approvals": "承認一覧", "allApprovals": "承認の管理", "signedInAs": "ログイン中",
        "member": "利用者", "organization": "所属機関", "country": "国", "role": "役割",
        "certificate": "証明書", "policyVersion": "ポリシー版", "tls": "接続",
        "pages": "利用できるページ", "approval": "承認", "title": "課題名", "purpose": "目的",
        "validity": "有効期間", "status": "状態", "allows": "許可された問い合わせ", "budget": "プライバシー予算",
        "spent": "使用", "remaining": "残り", "noApprovals": "承認はありません。",
        "ledgerOff": "開示台帳は無効です。",
        "footer": "すべてのページはAPIと同じく判定され、監査ログに記録されます。集計値のみを表示し、閾値未満の件数は「<k」と表示します。",
        "members": "利用者", "actions": "決定", "reason": "理由", "suspend": "一時停止", "reinstate": "再開", "revoke": "取消",
        "auditLog": "監査ログ", "decision": "判定", "filter": "絞り込み", "export": "書き出し", "time": "時刻", "request": "要求",
        "answer": "応答", "next": "次のページ", "noRecords": "該当する記録はありません。", "any": "すべて", "from": "開始", "to": "終了",
        "approvalFilter": "承認", "checkpoint": "署名済みの記録",
        "forbidden": "この役割では利用できません", "notFound": "ページがありません", "error": "拒否されました",
    ]

    /// The words of `language`.
    public static func words(_ language: ConsoleLanguage) -> [String: String] {
        switch language {
        case .english: allEnglish
        case .japanese: mergedJapanese
        }
    }
}
