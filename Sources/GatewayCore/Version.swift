/// The gateway's version, shown by `genomegate version`, `/api/info` and `/api/service-info`.
public enum GatewayVersion {
    public static let string = "0.1.0"
}
