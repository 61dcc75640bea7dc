using FlashSale.Cluster;

// A silo of the durable cluster: `dotnet run --project silo/FlashSale.Silo -- --FlashSale:Redis=127.0.0.1:6379
// --FlashSale:Cluster:SiloPort=11111 --FlashSale:Cluster:GatewayPort=30000 --urls=http://127.0.0.1:5180`.
// It serves grains to the API nodes and answers /health on its own small HTTP port.
var builder = WebApplication.CreateBuilder(args);
builder.UseOrleans(silo => silo.UseFlashSaleCluster(builder.Configuration));
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapHealthChecks("/health");
app.Run();
