//! Pagination (placeholder until the runtime branch lands).

use std::future::Future;

pub fn paginate<T, F, Fut>(
    _first: i64,
    _fetch: F,
) -> futures_util::stream::Empty<Result<T, crate::Error>>
where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, i64), crate::Error>>,
{
    futures_util::stream::empty()
}
