extension UnsafeMutableRawBufferPointer {
    /// Writes the UTF-8 bytes of `string` at `offset`; returns how many.
    @inline(__always)
    func storeUTF8(_ string: String, at offset: Int) -> Int {
        var string = string
        return string.withUTF8 { source in
            UnsafeMutableRawBufferPointer(rebasing: self[offset..<offset + source.count])
                .copyMemory(from: UnsafeRawBufferPointer(source))
            return source.count
        }
    }
}
