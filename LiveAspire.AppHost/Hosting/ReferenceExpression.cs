using System.Runtime.CompilerServices;
using System.Text;

namespace LiveAspire.AppHost.Hosting;

/// <summary>Something whose value is known at run time and which a manifest names by expression.</summary>
public interface IValueProvider
{
    string GetValue();
    string ManifestExpression { get; }
}

/// <summary>
/// A string made of literal parts and values (endpoints, parameters, other expressions), as Aspire's
/// ReferenceExpression: evaluated for a child process's environment, or rendered as
/// <c>{resource.bindings.tcp.port}</c>-style text for the deployment manifest.
/// </summary>
public sealed class ReferenceExpression : IValueProvider
{
    private readonly object[] _parts;

    private ReferenceExpression(object[] parts) => _parts = parts;

    public static ReferenceExpression Create(ExpressionInterpolatedStringHandler handler) => new([.. handler.Parts]);

    public static ReferenceExpression Literal(string value) => new([value]);

    public static ReferenceExpression Of(IValueProvider value) => new([value]);

    public string GetValue() => Render(p => p.GetValue());

    public string ManifestExpression => Render(p => p.ManifestExpression);

    public IEnumerable<IValueProvider> ValueProviders => _parts.OfType<IValueProvider>();

    private string Render(Func<IValueProvider, string> render)
    {
        var sb = new StringBuilder();
        foreach (var part in _parts)
        {
            sb.Append(part is IValueProvider p ? render(p) : (string)part);
        }
        return sb.ToString();
    }

    [InterpolatedStringHandler]
    public ref struct ExpressionInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        internal readonly List<object> Parts = new(formattedCount * 2 + 1);

        public void AppendLiteral(string value) => Parts.Add(value);

        public void AppendFormatted(IValueProvider value) => Parts.Add(value);

        public void AppendFormatted(ParameterResource value) => Parts.Add(new ParameterReference(value));

        public void AppendFormatted(string value) => Parts.Add(value);

        // Keeps the analyzer quiet about the unused constructor argument while documenting intent.
        public readonly int LiteralLength => literalLength;
    }
}

public sealed record ParameterReference(ParameterResource Parameter) : IValueProvider
{
    public string GetValue() => Parameter.Value;
    public string ManifestExpression => $"{{{Parameter.Name}.value}}";
}

/// <summary>A resource's connection string as a value: <c>{name.connectionString}</c> in a manifest.</summary>
public sealed record ConnectionStringReference(IResourceWithConnectionString Resource) : IValueProvider
{
    public string GetValue() => Resource.ConnectionStringExpression.GetValue();
    public string ManifestExpression => $"{{{Resource.Name}.connectionString}}";
}
