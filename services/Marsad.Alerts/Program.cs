using Marsad.Alerts;
using Marsad.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("alerts");
builder.AddAlertsService();

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
