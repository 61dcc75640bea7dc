using FlashSale.Api.Accounts;
using FlashSale.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Api.Tests.Accounts;

/// <summary>
/// The operator's backup route is not bounded by the engine's 3 s deadline: a backup writes a
/// checkpoint and copies the folder, which takes seconds on a busy machine (CI once answered it
/// 503 at 3 s). Checked on the route's own metadata, since how long a copy takes here is chance.
/// </summary>
[Collection(AccountsApiCollection.Name)]
public sealed class OperatorBackupRouteTests(FlashSaleApiFactory api)
{
    [Fact]
    public void The_backup_route_has_its_own_time_bound_not_the_engines()
    {
        var endpoint = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == "/api/operator/backups");

        var metadata = string.Join(", ", endpoint.Metadata.Select(m => m.GetType().Name));
        var timeout = endpoint.Metadata.GetMetadata<RequestTimeoutPolicy>();

        Assert.True(timeout is not null, metadata);
        Assert.Equal(OperatorApi.BackupTimeout, timeout.Timeout);
    }
}
