using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;

namespace LiveAspire.Tests;

/// <summary>
/// The dependency picture of docs/architecture.md, checked on the compiled assemblies: Realtime's folders (one
/// namespace each) depend on each other one way only, and exactly as the "Inside Realtime" diagram draws them; Web
/// carries no schema (Data, EF Core), access, Redis or rooms assembly, not even one that is referenced and unused
/// (Npgsql only, for its own tables); Rooms knows Redis,
/// Contracts and Hosting only.
/// </summary>
public sealed partial class ArchitectureTests
{
    private const string Realtime = "LiveAspire.Realtime";

    [Fact]
    public void NoNamespaceOfRealtimeDependsOnAnotherInACycle()
    {
        var graph = NamespaceGraph.Of(Assembly.Load(Realtime), Realtime);

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, "Realtime's namespaces depend on each other in a cycle: " + string.Join("; ",
            cycles.Select(c => $"{graph.Describe(c.Cycle)} (all of [{string.Join(", ", c.Set.Order())}] reach each other)")));
    }

    [Fact]
    public void TheInsideRealtimeDiagramDrawsExactlyTheDependenciesBetweenItsNamespaces()
    {
        var graph = NamespaceGraph.Of(Assembly.Load(Realtime), Realtime);
        var actual = graph.Edges.SelectMany(e => e.Value.Keys.Select(to => $"{Node(e.Key)} --> {Node(to)}")).ToHashSet();
        var doc = File.ReadAllText(Path.Combine(AppHostProcess.RepositoryRoot, "docs", "architecture.md"));
        Assert.Contains("### Inside Realtime", doc, StringComparison.Ordinal);
        var diagram = doc.Split("### Inside Realtime")[1].Split("```mermaid")[1].Split("```")[0];
        var drawn = DiagramEdge().Matches(diagram)
            .SelectMany(m => m.Groups["to"].Value.Split('&', StringSplitOptions.TrimEntries).Select(to => $"{m.Groups["from"].Value} --> {to}"))
            .ToHashSet();

        Assert.NotEmpty(actual);
        Assert.True(drawn.SetEquals(actual), "docs/architecture.md, \"Inside Realtime\": drawn but not in the code: ["
            + string.Join(", ", drawn.Except(actual).Order()) + "]; in the code but not drawn: ["
            + string.Join(", ", actual.Except(drawn).Order().Select(e => $"{e} ({graph.Example(e)})")) + "]; the code's, drawn:\n"
            + string.Join("\n", graph.Edges.Select(e => $"    {Node(e.Key)} --> {string.Join(" & ", e.Value.Keys.Select(Node))}")));
    }

    [Fact]
    public void RoomsKnowsRedisContractsAndHostingOnly()
    {
        var references = Assembly.Load("LiveAspire.Rooms").GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Equal(["LiveAspire.Contracts", "LiveAspire.Hosting"],
            references.Where(n => n.StartsWith("LiveAspire.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("StackExchange.Redis", references);
        Assert.DoesNotContain(references, n => n.StartsWith("Npgsql", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void WebReferencesNoSchemaRedisOrRoomsAssembly()
    {
        // Npgsql is Web's for its own tables (sessions, data-protection keys; docs/web.md); Api's schema, its EF model
        // and the access queries stay out.
        AssertReferencesNone("LiveAspire.Web", ["LiveAspire.Rooms", "LiveAspire.Data", "LiveAspire.Access", "StackExchange.Redis",
            "Microsoft.EntityFrameworkCore", "Aspire.StackExchange.Redis", "Npgsql.EntityFrameworkCore"]);
    }

    [Fact]
    public void TheDemoIsAClientOfTheSystemAndReachesNoStoreOrService()
    {
        // docs/demo.md: the demo drives the system through Api's REST and the hub only, as any client does.
        AssertReferencesNone("LiveAspire.Demo", ["LiveAspire.Rooms", "LiveAspire.Data", "LiveAspire.Access", "LiveAspire.Postgres",
            "LiveAspire.Api", "LiveAspire.Realtime", "LiveAspire.Worker", "LiveAspire.Web", "StackExchange.Redis", "Npgsql",
            "Microsoft.EntityFrameworkCore", "Aspire.StackExchange.Redis", "Aspire.Npgsql"]);
    }

    /// <summary>
    /// Fails when <paramref name="assembly"/> references a name in <paramref name="forbidden"/> (or one under it). Compiled
    /// references name only what the code uses; the deps file lists every package and project the process loads, so a
    /// reference nobody uses yet fails here too.
    /// </summary>
    private static void AssertReferencesNone(string assembly, string[] forbidden)
    {
        bool IsForbidden(string name) => forbidden.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal));

        var compiled = Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var deps = Path.Combine(AppContext.BaseDirectory, $"{assembly}.deps.json");
        using var json = JsonDocument.Parse(File.ReadAllText(deps));
        var loaded = json.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToList();

        Assert.Contains("LiveAspire.ServiceDefaults", compiled);
        Assert.Contains("LiveAspire.ServiceDefaults", loaded);
        var found = compiled.Where(IsForbidden).Select(n => $"{n} (compiled reference)")
            .Concat(loaded.Where(IsForbidden).Select(n => $"{n} ({assembly}.deps.json)")).ToList();
        Assert.True(found.Count == 0, $"{assembly} references what it must not: " + string.Join(", ", found));
    }

    /// <summary>A namespace's node in the diagram: the folder's name, <c>Realtime</c> for the root.</summary>
    private static string Node(string ns) => ns == Realtime ? "Realtime" : ns[(Realtime.Length + 1)..];

    // "    Hubs --> Delivery & Presence": edge lines name node ids only; a label goes on a line of its own
    [GeneratedRegex(@"^\s*(?<from>\w+)\s*-->\s*(?<to>\w+(\s*&\s*\w+)*)\s*$", RegexOptions.Multiline)]
    private static partial Regex DiagramEdge();

    /// <summary>
    /// Which namespace of an assembly uses which, from every type it names: base type, interfaces, generic arguments
    /// and constraints, attributes, fields, properties, events, method and constructor signatures, locals, caught
    /// exceptions, and every type, method and field a method body refers to. A nested type (compiler-generated state
    /// machines and closures included) is in its outer type's namespace. Constants leave no trace in compiled code.
    /// </summary>
    private sealed class NamespaceGraph
    {
        private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
            | BindingFlags.Static | BindingFlags.DeclaredOnly;

        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        private readonly string _root;

        private NamespaceGraph(string root) => _root = root;

        /// <summary>Namespace → the namespaces it uses → one use, as "Type → Type".</summary>
        public SortedDictionary<string, SortedDictionary<string, string>> Edges { get; } = new(StringComparer.Ordinal);

        public static NamespaceGraph Of(Assembly assembly, string root)
        {
            var graph = new NamespaceGraph(root);
            foreach (var type in assembly.GetTypes().Where(t => graph.InScope(t.Namespace)))
            {
                foreach (var used in Uses(type).SelectMany(Expand))
                {
                    graph.Add(type, used);
                }
            }
            return graph;
        }

        public string Example(string edge)
        {
            var parts = edge.Split(" --> ");
            string Ns(string node) => node == "Realtime" ? _root : $"{_root}.{node}";
            return Edges[Ns(parts[0])][Ns(parts[1])];
        }

        /// <summary>Each strongly connected set of more than one namespace (Tarjan), with one cycle through it.</summary>
        public List<(HashSet<string> Set, List<string> Cycle)> Cycles()
        {
            var index = new Dictionary<string, int>();
            var low = new Dictionary<string, int>();
            var stack = new Stack<string>();
            var cycles = new List<(HashSet<string>, List<string>)>();
            void Connect(string v)
            {
                index[v] = low[v] = index.Count;
                stack.Push(v);
                foreach (var w in Edges.GetValueOrDefault(v)?.Keys ?? Enumerable.Empty<string>())
                {
                    if (!index.ContainsKey(w))
                    {
                        Connect(w);
                        low[v] = Math.Min(low[v], low[w]);
                    }
                    else if (stack.Contains(w))
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }
                }
                if (low[v] == index[v])
                {
                    var component = new HashSet<string>();
                    string w;
                    do
                    {
                        w = stack.Pop();
                        component.Add(w);
                    }
                    while (w != v);
                    if (component.Count > 1)
                    {
                        cycles.Add((component, CycleThrough(v, component)));
                    }
                }
            }
            foreach (var v in Edges.Keys.ToList())
            {
                if (!index.ContainsKey(v))
                {
                    Connect(v);
                }
            }
            return cycles;
        }

        /// <summary>"A → B (X uses Y) → A (Z uses W)".</summary>
        public string Describe(List<string> cycle) =>
            cycle[0] + string.Concat(cycle.Zip(cycle.Skip(1).Append(cycle[0]), (from, to) => $" → {to} ({Edges[from][to]})"));

        // A shortest path from start back to itself inside its component (breadth first).
        private List<string> CycleThrough(string start, HashSet<string> component)
        {
            var previous = new Dictionary<string, string>();
            var queue = new Queue<string>([start]);
            while (queue.TryDequeue(out var v))
            {
                foreach (var w in Edges[v].Keys.Where(component.Contains))
                {
                    if (w == start)
                    {
                        var path = new List<string> { v };
                        while (path[0] != start)
                        {
                            path.Insert(0, previous[path[0]]);
                        }
                        return path;
                    }
                    if (previous.TryAdd(w, v))
                    {
                        queue.Enqueue(w);
                    }
                }
            }
            throw new InvalidOperationException($"{start} is in a strongly connected set but on no cycle.");
        }

        private bool InScope(string? ns) => ns is not null && (ns == _root || ns.StartsWith(_root + ".", StringComparison.Ordinal));

        private void Add(Type user, Type used)
        {
            if (!InScope(used.Namespace) || used.Namespace == user.Namespace)
            {
                return;
            }
            if (!Edges.TryGetValue(user.Namespace!, out var targets))
            {
                Edges[user.Namespace!] = targets = new(StringComparer.Ordinal);
            }
            targets.TryAdd(used.Namespace!, $"{Outermost(user).Name} uses {Outermost(used).Name}");
        }

        private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

        /// <summary>A type and what it is made of: element types and generic arguments.</summary>
        private static IEnumerable<Type> Expand(Type? type)
        {
            if (type is null || type.IsGenericParameter)
            {
                yield break;
            }
            if (type.HasElementType)
            {
                foreach (var element in Expand(type.GetElementType()))
                {
                    yield return element;
                }
                yield break;
            }
            yield return type;
            if (type.IsConstructedGenericType)
            {
                foreach (var argument in type.GetGenericArguments().SelectMany(Expand))
                {
                    yield return argument;
                }
            }
        }

        private static IEnumerable<Type?> Uses(Type type)
        {
            yield return type.BaseType;
            foreach (var used in type.GetInterfaces()
                .Concat(Constraints(type.IsGenericTypeDefinition ? type.GetGenericArguments() : []))
                .Concat(Attributes(type.CustomAttributes)))
            {
                yield return used;
            }
            foreach (var field in type.GetFields(Declared))
            {
                yield return field.FieldType;
                foreach (var used in Attributes(field.CustomAttributes))
                {
                    yield return used;
                }
            }
            foreach (var property in type.GetProperties(Declared))
            {
                yield return property.PropertyType;
                foreach (var used in Attributes(property.CustomAttributes))
                {
                    yield return used;
                }
            }
            foreach (var @event in type.GetEvents(Declared))
            {
                yield return @event.EventHandlerType;
            }
            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                foreach (var used in UsesOf(type, method))
                {
                    yield return used;
                }
            }
        }

        private static IEnumerable<Type?> UsesOf(Type type, MethodBase method)
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }
            foreach (var used in Attributes(method.CustomAttributes)
                .Concat(Constraints(method.IsGenericMethodDefinition ? method.GetGenericArguments() : [])))
            {
                yield return used;
            }
            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
                foreach (var used in Attributes(parameter.CustomAttributes))
                {
                    yield return used;
                }
            }
            if (method.GetMethodBody() is not { } body)
            {
                yield break;
            }
            foreach (var local in body.LocalVariables)
            {
                yield return local.LocalType;
            }
            foreach (var clause in body.ExceptionHandlingClauses.Where(c => c.Flags == ExceptionHandlingClauseOptions.Clause))
            {
                yield return clause.CatchType;
            }
            var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
            var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
            foreach (var token in Tokens(body.GetILAsByteArray() ?? []))
            {
                switch (method.Module.ResolveMember(token, typeArguments, methodArguments))
                {
                    case Type used:
                        yield return used;
                        break;
                    case FieldInfo field:
                        yield return field.DeclaringType;
                        yield return field.FieldType;
                        break;
                    case MethodBase called:
                        yield return called.DeclaringType;
                        foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                        {
                            yield return argument;
                        }
                        break;
                }
            }
        }

        private static IEnumerable<Type> Constraints(Type[] parameters) =>
            parameters.SelectMany(p => p.GetGenericParameterConstraints());

        private static IEnumerable<Type> Attributes(IEnumerable<CustomAttributeData> attributes) =>
            attributes.SelectMany(a => a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue))
                .Select(v => v.Value as Type).OfType<Type>().Prepend(a.AttributeType));

        /// <summary>The metadata tokens of the field, method and type operands in a method body's IL.</summary>
        private static IEnumerable<int> Tokens(byte[] il)
        {
            var i = 0;
            while (i < il.Length)
            {
                var opCode = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
                i += opCode.Size;
                switch (opCode.OperandType)
                {
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                        yield return BitConverter.ToInt32(il, i);
                        i += 4;
                        break;
                    case OperandType.InlineSwitch:
                        i += 4 + 4 * BitConverter.ToInt32(il, i);
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        i += 8;
                        break;
                    case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString
                        or OperandType.ShortInlineR:
                        i += 4;
                        break;
                    case OperandType.InlineVar:
                        i += 2;
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        i += 1;
                        break;
                }
            }
        }
    }
}
