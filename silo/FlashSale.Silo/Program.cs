using FlashSale.Cluster;
using Orleans.Dashboard;

// A silo of the durable cluster: `dotnet run --project silo/FlashSale.Silo -- --FlashSale:Redis=127.0.0.1:6379
// --FlashSale:Cluster:SiloPort=11111 --FlashSale:Cluster:GatewayPort=30000 --urls=http://127.0.0.1:5180`.
// It serves grains to the API nodes and answers /health, /metrics and /dashboard on its own small HTTP port.
var builder = WebApplication.CreateBuilder(args);
builder.AddFlashSaleSilo();

var app = builder.Build();
app.MapFlashSaleObservability();
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.Run();
