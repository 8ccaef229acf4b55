namespace LiveAspire.Contracts.Paging;

/// <summary>One page of a keyset-paged list.</summary>
/// <param name="Items">The items of this page, in list order.</param>
/// <param name="Next">The cursor to pass as <c>after</c> for the next page; null on the last page.</param>
public sealed record KeysetPage<T>(IReadOnlyList<T> Items, string? Next);
