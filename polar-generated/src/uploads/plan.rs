//! Splitting a file into the parts of an S3 multipart upload.

use super::UploadError;

/// One mebibyte.
const MIB: u64 = 1024 * 1024;
/// S3's smallest part (except the last one).
pub const MIN_PART_SIZE: u64 = 5 * MIB;
/// S3's largest part.
pub const MAX_PART_SIZE: u64 = 5 * 1024 * MIB;
/// S3's (and Polar's `upload.parts`) largest number of parts.
pub const MAX_PARTS: u64 = 10_000;
/// The part size used unless one is configured.
pub const DEFAULT_PART_SIZE: u64 = 8 * MIB;

/// One part: number (from 1) and byte range `start..end` (end exclusive, as Polar's
/// `chunk_start`/`chunk_end` and its dashboard's `Blob.slice` use them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PartRange {
    pub number: u32,
    pub start: u64,
    pub end: u64,
}

impl PartRange {
    pub fn len(&self) -> u64 {
        self.end - self.start
    }
}

/// The parts for `size` bytes with parts of `part_size` bytes (grown when `size` would
/// need more than 10,000 parts). A zero-byte file is one empty part.
pub(crate) fn plan_parts(size: u64, part_size: u64) -> Result<Vec<PartRange>, UploadError> {
    if !(MIN_PART_SIZE..=MAX_PART_SIZE).contains(&part_size) {
        return Err(UploadError::InvalidInput(format!(
            "the part size must be between 5 MiB and 5 GiB (S3's limits), not {part_size} bytes"
        )));
    }
    let part_size = part_size.max(size.div_ceil(MAX_PARTS));
    if part_size > MAX_PART_SIZE {
        return Err(UploadError::InvalidInput(format!(
            "{size} bytes do not fit in 10,000 parts of at most 5 GiB"
        )));
    }
    let count = size.div_ceil(part_size).max(1);
    Ok((0..count)
        .map(|index| PartRange {
            number: index as u32 + 1,
            start: index * part_size,
            end: ((index + 1) * part_size).min(size),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_the_file_exactly() {
        let parts = plan_parts(12 * MIB + 3, 5 * MIB).unwrap();
        let ranges: Vec<_> = parts.iter().map(|p| (p.number, p.start, p.end)).collect();
        assert_eq!(
            ranges,
            [
                (1, 0, 5 * MIB),
                (2, 5 * MIB, 10 * MIB),
                (3, 10 * MIB, 12 * MIB + 3)
            ]
        );
        assert_eq!(plan_parts(10 * MIB, 5 * MIB).unwrap().len(), 2);
        let empty = plan_parts(0, DEFAULT_PART_SIZE).unwrap();
        assert_eq!(
            empty,
            [PartRange {
                number: 1,
                start: 0,
                end: 0
            }]
        );
    }

    #[test]
    fn huge_files_grow_the_part_size_to_stay_within_10000_parts() {
        let size = 100_000 * MIB;
        let parts = plan_parts(size, MIN_PART_SIZE).unwrap();
        assert_eq!(parts.len(), 10_000);
        assert_eq!(parts.last().unwrap().end, size);
        assert!(plan_parts(MAX_PARTS * MAX_PART_SIZE + 1, MIN_PART_SIZE).is_err());
    }

    #[test]
    fn part_size_outside_s3_limits_is_rejected() {
        for bad in [0, MIN_PART_SIZE - 1, MAX_PART_SIZE + 1] {
            assert!(matches!(
                plan_parts(1, bad),
                Err(UploadError::InvalidInput(_))
            ));
        }
    }
}
