//! [`Paginator`]: every item of a paginated list operation (`x-polar-pagination`), walked
//! with `next().await`, page by page, collected under a cap, or as a `Stream`.

use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;

use crate::Error;

/// One page being fetched: its items and the server's `max_page`.
type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<(Vec<T>, i64), Error>> + Send + 'a>>;

/// Loads the page with the given number (from 1, as in Polar's API).
type FetchPage<'a, T> = Box<dyn FnMut(i64) -> PageFuture<'a, T> + Send + 'a>;

/// Every item of a list operation, fetched lazily one page at a time with the list
/// builder's filters; made by a list builder's `stream()`.
///
/// No extra crate or `pin!` is needed to walk it:
///
/// ```no_run
/// # async fn run(client: polar::Client) -> Result<(), polar::Error> {
/// // Item by item.
/// let mut orders = client.orders().list().limit(100).stream();
/// while let Some(order) = orders.next().await {
///     println!("{}", order?.id);
/// }
/// // Page by page.
/// let mut pages = client.products().list().stream();
/// while let Some(page) = pages.next_page().await {
///     println!("{} products", page?.len());
/// }
/// // All of it, failing with `Error::TooManyItems` beyond 1,000.
/// let customers = client.customers().list().stream().collect_all(1_000).await?;
/// # Ok(()) }
/// ```
///
/// It is also a [`Stream`] (and `Unpin`), for `futures::StreamExt` combinators.
///
/// Walking stops after the last page (`pagination.max_page`), at the first empty page
/// (so a wrong `max_page` cannot make it loop), or after the first error, which is
/// returned once. Dropping a `next()` future (say, in `select!`) loses nothing: the page
/// being fetched is kept and the next call resumes it.
#[must_use = "a paginator fetches nothing until it is walked"]
pub struct Paginator<'a, T> {
    operation_id: &'static str,
    fetch: FetchPage<'a, T>,
    /// The page to fetch once `buffer` is drained; `None` when done.
    next_page: Option<i64>,
    /// The page being fetched, and its number.
    in_flight: Option<(i64, PageFuture<'a, T>)>,
    /// Items of the last page not handed out yet.
    buffer: std::vec::IntoIter<T>,
}

// Items are only ever moved out of the buffer, never pinned in place.
impl<T> Unpin for Paginator<'_, T> {}

/// Starts at `first_page`; `fetch(page)` loads one page and returns its items and the
/// `max_page` the server reported. Generated list builders call it from `stream()`:
///
/// ```ignore
/// crate::runtime::pagination::paginate("orders:list", self.page.unwrap_or(1), move |page| {
///     let request = self.clone().page(page);
///     async move {
///         let response = request.send().await?;
///         Ok((response.items, response.pagination.max_page))
///     }
/// })
/// ```
pub fn paginate<'a, T, F, Fut>(
    operation_id: &'static str,
    first_page: i64,
    mut fetch: F,
) -> Paginator<'a, T>
where
    F: FnMut(i64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(Vec<T>, i64), Error>> + Send + 'a,
{
    Paginator {
        operation_id,
        fetch: Box::new(move |page| Box::pin(fetch(page))),
        next_page: Some(first_page),
        in_flight: None,
        buffer: Vec::new().into_iter(),
    }
}

impl<T> Paginator<'_, T> {
    /// The next item, fetching the next page when the current one is used up; `None`
    /// once every page has been walked (or after an error).
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        poll_fn(|cx| self.poll_item(cx)).await
    }

    /// The next page's items (or what is left of the current page, after [`next`]);
    /// `None` once every page has been walked (or after an error). Never an empty `Vec`.
    ///
    /// [`next`]: Self::next
    pub async fn next_page(&mut self) -> Option<Result<Vec<T>, Error>> {
        poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Every remaining item, in order, as long as there are at most `max_items` of them.
    ///
    /// Fails with [`Error::TooManyItems`] as soon as a page takes the count past
    /// `max_items`, without fetching further pages: the cap keeps an unexpectedly long
    /// list from exhausting memory or the rate limit. Any other error of a page is
    /// returned as is.
    pub async fn collect_all(mut self, max_items: usize) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            let page = page?;
            if page.len() > max_items - all.len() {
                return Err(Error::TooManyItems {
                    operation_id: self.operation_id,
                    max_items,
                });
            }
            all.extend(page);
        }
        Ok(all)
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<T>, Error>>> {
        let rest: Vec<T> = self.buffer.by_ref().collect();
        if !rest.is_empty() {
            return Poll::Ready(Some(Ok(rest)));
        }
        let (page, future) = match &mut self.in_flight {
            Some(in_flight) => in_flight,
            None => {
                let Some(page) = self.next_page else {
                    return Poll::Ready(None);
                };
                self.in_flight.insert((page, (self.fetch)(page)))
            }
        };
        let page = *page;
        let result = ready!(future.as_mut().poll(cx));
        self.in_flight = None;
        match result {
            Ok((items, max_page)) => {
                self.next_page = (!items.is_empty() && page < max_page).then_some(page + 1);
                Poll::Ready((!items.is_empty()).then_some(Ok(items)))
            }
            Err(err) => {
                self.next_page = None;
                Poll::Ready(Some(Err(err)))
            }
        }
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        if let Some(item) = self.buffer.next() {
            return Poll::Ready(Some(Ok(item)));
        }
        Poll::Ready(match ready!(self.poll_page(cx)) {
            Some(Ok(items)) => {
                self.buffer = items.into_iter();
                self.buffer.next().map(Ok)
            }
            Some(Err(err)) => Some(Err(err)),
            None => None,
        })
    }
}

impl<T> Stream for Paginator<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let upper = self.next_page.is_none() && self.in_flight.is_none();
        (self.buffer.len(), upper.then_some(self.buffer.len()))
    }
}

impl<T> fmt::Debug for Paginator<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation_id", &self.operation_id)
            .field("next_page", &self.next_page)
            .field("fetching", &self.in_flight.as_ref().map(|(page, _)| page))
            .field("buffered", &self.buffer.len())
            .finish()
    }
}
