// The namespaces most files of this project use; a file names only the ones particular to it.
global using System.Security.Claims;
global using LiveAspire.Access;
global using LiveAspire.Api.Accounts;
global using LiveAspire.Api.Channels;
global using LiveAspire.Api.Data;
global using LiveAspire.Api.Http;
global using LiveAspire.Contracts.Accounts;
global using LiveAspire.Contracts.Auth;
global using LiveAspire.Contracts.Channels;
global using LiveAspire.Contracts.Errors;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.EntityFrameworkCore.Metadata.Builders;
global using Npgsql;
