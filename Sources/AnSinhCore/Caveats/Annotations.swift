/// Caveats travel with a number column as columns of the same table (so `where`, `sort` and
/// `take` carry them for free): `Annotations` names them. A column the user did not select is
/// kept hidden under a name made here, and nowhere else.
/// The columns that qualify a number column, by name (in the same table).
public struct Annotations: Sendable, Equatable {
    /// Per-row unit text (`VND`, `people`, …).
    public var unit: String?
    /// Per-row qualifier text (`exact`, `about`, `more_than`, `nearly`, `less_than`).
    public var qualifier: String?
    /// Per-row measure text (`flow`, `stock`, `rate`, …).
    public var measure: String?
    /// Per-row period text (`2021`, `end-2024`, …).
    public var period: String?
    /// One unit for the whole column, when known (e.g. after grouping by unit).
    public var fixedUnit: String?
    /// For a number computed from a figure (`value / 1e9`): the figure's per-row unit column. Not
    /// the number's unit (it was scaled), but adding such numbers across units still mixes kinds.
    public var sourceUnit: String?

    public init(unit: String? = nil, qualifier: String? = nil, measure: String? = nil, period: String? = nil, fixedUnit: String? = nil, sourceUnit: String? = nil) {
        self.unit = unit
        self.qualifier = qualifier
        self.measure = measure
        self.period = period
        self.fixedUnit = fixedUnit
        self.sourceUnit = sourceUnit
    }

    public var isEmpty: Bool { unit == nil && qualifier == nil && measure == nil && period == nil && fixedUnit == nil && sourceUnit == nil }

    var referencedColumns: [String] { [unit, qualifier, measure, period, sourceUnit].compactMap { $0 } }

    /// The hidden column that carries a computed number's own qualifier (`-value` turns "more
    /// than" round) or an aggregate's combined qualifier.
    static func hiddenQualifierName(for column: String) -> String { "__qualifier_" + column }
    /// The hidden column that carries an aggregate's single unit per group.
    static func hiddenUnitName(for column: String) -> String { "__unit_" + column }
    /// The hidden column that carries the period of a figure `compare` placed in a column.
    static func hiddenPeriodName(for column: String) -> String { "__period_" + column }
    /// The hidden column that carries the measure (`flow`, `stock`, …) of a column `unpivot` made.
    static func hiddenMeasureName(for column: String) -> String { "__measure_" + column }
    /// The hidden copy of a qualifying column kept when `select` drops the column itself.
    static func hiddenCopyName(of column: String) -> String { "__" + column }
    static func isHiddenQualifierName(_ name: String) -> Bool { name.hasPrefix("__qualifier_") }

    func renamed(_ mapping: (String) -> String?) -> Annotations {
        Annotations(unit: unit.flatMap(mapping), qualifier: qualifier.flatMap(mapping), measure: measure.flatMap(mapping), period: period.flatMap(mapping), fixedUnit: fixedUnit, sourceUnit: sourceUnit.flatMap(mapping))
    }
}
