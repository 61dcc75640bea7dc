using FlashSale.Common;
using FlashSale.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace FlashSale.Tests;

/// <summary>How <see cref="EngineSiloExtensions.AddFlashSaleEngine"/> wires a silo.</summary>
[Collection(EngineCluster.Name)]
public sealed class EngineSiloExtensionsTests(EngineClusterFixture cluster)
{
    [Fact]
    public void Grain_state_is_stored_with_the_Orleans_binary_serializer_not_the_default_JSON()
    {
        // The storage provider resolves its serializer when its options are first built, so the
        // options are what a write actually uses.
        var storage = cluster.SiloServices.GetRequiredService<IOptionsMonitor<MemoryGrainStorageOptions>>().Get(StorageNames.Default);

        Assert.IsType<OrleansGrainStorageSerializer>(storage.GrainStorageSerializer);
        Assert.IsType<OrleansGrainStorageSerializer>(cluster.SiloServices.GetRequiredService<IGrainStorageSerializer>());
    }
}
