using Marsad.Api;
using Marsad.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("api");
builder.AddApiService();

var app = builder.Build();
app.MapApi();
app.MapMarsadDefaultEndpoints();
app.Run();
