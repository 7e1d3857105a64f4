import GatewayCore
/// The region viewer's window and where its zoom and pan links lead: always on its chromosome
/// (1...its length), never narrower than ``minimumWidth`` nor wider than ``maximumWidth``.
public struct RegionWindow: Sendable, Hashable {
    /// The narrowest window (bases): zooming in stops there.
    public static let minimumWidth = 100
    /// The widest window (bases), and the widest region a variant list covers.
    public static let maximumWidth = 2_000_000

    /// The window shown.
    public let region: GenomicRegion
    /// The chromosome's last position (its length, or the largest position a VCF holds).
    public let chromosomeLength: Int

    /// The window for `region` on a chromosome of `chromosomeLength` bases (nil: unknown,
    /// bounded by the largest VCF position), moved onto the chromosome if it runs off it and
    /// widened to ``minimumWidth`` if narrower. The caller refuses a region wider than
    /// ``maximumWidth`` first.
    public init(_ region: GenomicRegion, chromosomeLength: Int?) {
        let length = max(1, min(chromosomeLength ?? GenomicRegion.maximumPosition, GenomicRegion.maximumPosition))
        self.chromosomeLength = length
        let width = min(max(region.length, Self.minimumWidth), Self.maximumWidth)
        self.region = Self.placed(chromosome: region.referenceName, start: region.start, width: width, length: length)
    }

    /// The middle position.
    public var centre: Int { region.start + (region.end - region.start) / 2 }

    /// Half as wide around the same centre (not below ``minimumWidth``).
    public var zoomedIn: GenomicRegion { around(centre, width: region.length / 2) }
    /// Twice as wide around the same centre (not above ``maximumWidth``, nor off the chromosome).
    public var zoomedOut: GenomicRegion { around(centre, width: region.length * 2) }
    /// Half a window to the left (stops at position 1).
    public var pannedLeft: GenomicRegion { Self.placed(chromosome: region.referenceName, start: region.start - region.length / 2, width: region.length, length: chromosomeLength) }
    /// Half a window to the right (stops at the chromosome's end).
    public var pannedRight: GenomicRegion { Self.placed(chromosome: region.referenceName, start: region.start + region.length / 2, width: region.length, length: chromosomeLength) }

    /// Whether zooming in, out, or panning left or right would change the window.
    public var canZoomIn: Bool { zoomedIn != region }
    public var canZoomOut: Bool { zoomedOut != region }
    public var canPanLeft: Bool { pannedLeft != region }
    public var canPanRight: Bool { pannedRight != region }

    func around(_ centre: Int, width: Int) -> GenomicRegion {
        let width = min(max(width, Self.minimumWidth), Self.maximumWidth)
        return Self.placed(chromosome: region.referenceName, start: centre - (width - 1) / 2, width: width, length: chromosomeLength)
    }

    /// `width` bases from `start`, moved to lie within 1...length (cut to the chromosome when it is shorter).
    static func placed(chromosome: String, start: Int, width: Int, length: Int) -> GenomicRegion {
        let width = min(width, length)
        let first = min(max(start, 1), length - width + 1)
        return GenomicRegion(referenceName: chromosome, start: first, end: first + width - 1)
    }
}
