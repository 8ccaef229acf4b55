namespace LiveAspire.Tests.Harness;

/// <summary>
/// A list that several threads may add to while a test reads it: OpenTelemetry's in-memory exporters add from the
/// exporting thread (one per provider), without a lock of their own on the collection.
/// </summary>
public sealed class SyncCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count { get { lock (_items) { return _items.Count; } } }

    public bool IsReadOnly => false;

    public void Add(T item) { lock (_items) { _items.Add(item); } }

    public void Clear() { lock (_items) { _items.Clear(); } }

    public bool Contains(T item) { lock (_items) { return _items.Contains(item); } }

    public void CopyTo(T[] array, int arrayIndex) { lock (_items) { _items.CopyTo(array, arrayIndex); } }

    public bool Remove(T item) { lock (_items) { return _items.Remove(item); } }

    /// <summary>A copy, so the caller may enumerate while exporters keep adding.</summary>
    public List<T> Snapshot() { lock (_items) { return [.. _items]; } }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
