//! Multi-part file uploads against a loopback mock of Polar and of the storage.
