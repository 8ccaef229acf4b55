// The test systems are Aspire applications; their types appear in most fixtures.
global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
