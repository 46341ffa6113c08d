using Marsad.Alerts;
using Marsad.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("alerts");
builder.AddAlerts();
builder.AddMarsadBus(bus => bus.AddAlertsConsumers());

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
