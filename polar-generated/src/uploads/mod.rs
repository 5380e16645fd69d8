//! Multi-part file uploads (feature `file-uploads`): being written.
