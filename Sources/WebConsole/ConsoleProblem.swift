/// The page a console request that was refused gets (before any member or page is known):
/// the status, the stable code and the message, escaped, with the console's headers.
public enum ConsoleProblem {
    /// The refusal as a small HTML page.
    public static func html(status: Int, code: String, message: String, requestID: String?) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(status) · GenomeGate</title>\
        <link rel="stylesheet" href="/console/static/console.css"></head>
        <body><main><h1>\(status)</h1><p class="problem" data-code="\(escape(code))">\(escape(message))</p>\
        \(requestID.map { "<p class=\"note\">Request \(escape($0))</p>" } ?? "")<p><a href="/console">GenomeGate</a></p></main></body></html>
        """
    }

    /// `text` with `<`, `>`, `&`, `"` and `'` written as entities.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
