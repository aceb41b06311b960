// Everything that imports Commands sees the pure domain too.
@_exported import Domain
