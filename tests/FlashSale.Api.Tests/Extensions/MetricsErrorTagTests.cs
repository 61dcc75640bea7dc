using System.Net;
using System.Text.RegularExpressions;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Carts;
using Orleans.Runtime;

namespace FlashSale.Api.Tests.Extensions;

/// <summary>
/// <c>/metrics</c> names no exception type, after a 503 (a silo that cannot be reached) and a
/// 500 (a bug): failures are counted by the contract's problem code, a bounded set.
/// </summary>
[Collection(EngineFaultsCollection.Name)]
public sealed partial class MetricsErrorTagTests(FaultyEngineFactory api)
{
    [Fact]
    public async Task Failures_show_in_metrics_by_problem_code_not_by_exception_type()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();

        api.Faults.FailNext(nameof(IShopperCartGrain.SetItem), shopper.Id, new SiloUnavailableException("The target silo became unavailable"));
        using (var unavailable = await shopper.SetItem(lot.LotId, 1))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        }

        api.Faults.FailNext(nameof(IShopperCartGrain.SetItem), shopper.Id, new InvalidOperationException("A bug in the cart"));
        using (var bug = await shopper.SetItem(lot.LotId, 1))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, bug.StatusCode);
        }

        using var anonymous = api.CreateAnonymousClient();
        var metrics = await anonymous.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var labels = Label().Matches(metrics).Select(m => (Name: m.Groups["name"].Value, Value: m.Groups["value"].Value)).ToList();
        Assert.NotEmpty(labels);
        Assert.DoesNotContain(labels, l => l.Value.Contains("Exception", StringComparison.Ordinal) || l.Value.StartsWith("Orleans.", StringComparison.Ordinal) || l.Value.StartsWith("System.", StringComparison.Ordinal));
        Assert.All(labels.Where(l => l.Name == "error_type"), l => Assert.Matches("^(unavailable|internal|[0-9]{3})$", l.Value)); // a bounded set
    }

    [GeneratedRegex("(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Label();
}
