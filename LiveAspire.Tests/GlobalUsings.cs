// Every test file's own imports: xUnit, and the HTTP and JSON types the tests read answers with.
global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json;
global using Xunit;
// The test systems are Aspire applications; their types appear in most fixtures.
global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
// The harness (Harness/): systems under test, clients that talk to them, and the helpers tests share.
global using LiveAspire.Tests.Harness;
global using LiveAspire.Tests.Harness.Clients;
global using LiveAspire.Tests.Harness.Systems;
