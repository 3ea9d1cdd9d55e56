/// What one result value (a group of `summarize`, a pivot cell, a chart bar, a computed number)
/// was made from, as far as honesty is concerned: the units, measures, periods, qualifiers and
/// definitions of the figures behind it. The checks in `CaveatChecks` read only this.
struct CaveatSet: Sendable, Equatable {
    var units: Set<String> = []
    var measures: Set<String> = []
    var periods: Set<String> = []
    var qualifiers: Set<Qualifier> = []
    /// Non-null figures behind the value.
    var figures = 0
    /// What the figures count: their indicators, and each indicator with its detail
    /// ("health_insurance_coverage: children under 6").
    var things: Set<String> = []
    var details: Set<String> = []
    /// The definitions the figures were measured under, where the source says (poverty standards).
    var definitions: Set<String> = []
    /// Figures of a table that records definitions whose source does not state one.
    var unstatedDefinitions = 0
    /// Planned figures (measure `target`) among the figures, and the periods they plan for.
    var targets = 0
    var targetPeriods: Set<String> = []
    /// The facts behind the value, when known (for double counting).
    var facts: [Int32] = []

    /// Adds one figure's caveats (nil where the table does not say).
    mutating func add(unit: String?, measure: String?, period: String?, qualifier: Qualifier?) {
        figures += 1
        if let unit { units.insert(unit) }
        if let measure { measures.insert(measure) }
        if let period { periods.insert(period) }
        if let qualifier { qualifiers.insert(qualifier) }
    }

    mutating func formUnion(_ other: CaveatSet) {
        units.formUnion(other.units)
        measures.formUnion(other.measures)
        periods.formUnion(other.periods)
        qualifiers.formUnion(other.qualifiers)
        figures += other.figures
        things.formUnion(other.things)
        details.formUnion(other.details)
        definitions.formUnion(other.definitions)
        unstatedDefinitions += other.unstatedDefinitions
        targets += other.targets
        targetPeriods.formUnion(other.targetPeriods)
        facts += other.facts
    }

    /// The single unit, when every figure has the same one.
    var unit: String? { units.count == 1 ? units.first : nil }
    var isInexact: Bool { qualifiers.contains { !$0.isExact } }
}

/// Well-known words of the `unit` and `measure` columns that the checks look for.
enum CaveatWords {
    static let percent = "percent"
    static let annualAverage = "annual_average"
    static let stock = "stock"
    static let target = "target"
}
