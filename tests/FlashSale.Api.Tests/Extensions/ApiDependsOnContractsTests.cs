using System.Text.Json;

namespace FlashSale.Api.Tests.Extensions;

/// <summary>
/// The API host depends on the engine's contracts, not its internals (docs/architecture.md,
/// "Projects"): it is compiled against <c>FlashSale.Abstractions</c>, <c>FlashSale.Payments</c> and
/// the hosting entry point <c>FlashSale.Cluster</c>, and the grains reach its process only through
/// the hosting library, at run time.
/// </summary>
public sealed class ApiDependsOnContractsTests
{
    private static readonly string[] Allowed = ["FlashSale.Abstractions", "FlashSale.Payments", "FlashSale.Cluster"];

    [Fact]
    public void The_api_assembly_references_no_grain_assembly()
    {
        var references = typeof(Program).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain("FlashSale.Grains", references);
        Assert.All(
            references.Where(name => name.StartsWith("FlashSale.", StringComparison.Ordinal)),
            name => Assert.True(Allowed.Contains(name), $"FlashSale.Api references {name}; it may use only {string.Join(", ", Allowed)}."));
    }

    [Fact]
    public void The_api_process_still_loads_the_grains_from_the_hosting_library()
    {
        // The API's own dependency file, which the host reads to resolve assemblies: without the
        // grains in it, an embedded API would start a silo with no grains to serve.
        var depsFile = Path.Combine(AppContext.BaseDirectory, "FlashSale.Api.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains(libraries, name => name.StartsWith("FlashSale.Grains", StringComparison.Ordinal));
    }
}
