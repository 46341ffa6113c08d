using Marsad.Hosting;
using Marsad.Parser;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("parser");
builder.AddParserService();

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
