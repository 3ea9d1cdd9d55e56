extension CSVImporter {
    /// The bytes of a file: Files/MappedFile.swift, which opens it through `FileAccess` (safe
    /// mode's open-then-check) and bounds what a pipe or device may send (`.limit memory_mb`).
    public typealias MappedFile = AnSinhCore.MappedFile
}
