# ChatPlatform web app (admin console + chat API) on the CPU engine. Build: `docker compose build`.
# Debian's libtorch (CPU) and OpenBLAS as in scripts/setup.sh; for a GPU build point LIBTORCH_DIR at a CUDA libtorch.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends libtorch-dev libopenblas0-pthread cmake g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./scripts/setup.sh && dotnet publish src/ChatPlatform.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# Runtime libraries only: libtorch's shared objects come with libtorch-dev on Debian 12.
RUN apt-get update && apt-get install -y --no-install-recommends libtorch-dev libopenblas0-pthread poppler-utils \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
VOLUME ["/data", "/models"]
ENTRYPOINT ["dotnet", "ChatPlatform.Web.dll"]
