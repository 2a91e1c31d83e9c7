extension Array {
    /// Slot arrays of optional sums: `nil` until the first delta, like a dictionary's default.
    subscript<Wrapped>(index: Int, default value: @autoclosure () -> Wrapped) -> Wrapped where Element == Wrapped? {
        get { self[index] ?? value() }
        set { self[index] = newValue }
    }
}
