# ChatPlatform web app (admin console + chat widget + OpenAI-compatible API). Build: `docker compose build`.
#
# TORCH_VARIANT picks the tensor engine's libtorch:
#   cpu  (default) Debian's libtorch + OpenBLAS, as scripts/setup.sh installs them.
#   cuda           a CUDA build of libtorch from pytorch.org (LIBTORCH_URL, cxx11 ABI, "shared-with-deps": it carries
#                  the CUDA runtime, cuBLAS and cuDNN). The host needs an NVIDIA driver and the NVIDIA Container Toolkit;
#                  docker-compose.gpu.yml sets this up and Serving__Device=cuda.
ARG TORCH_VARIANT=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS sdk
RUN apt-get update && apt-get install -y --no-install-recommends libtorch-dev libopenblas0-pthread cmake g++ curl unzip ca-certificates \
    && rm -rf /var/lib/apt/lists/*

FROM sdk AS libtorch-cpu

FROM sdk AS libtorch-cuda
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu121/libtorch-cxx11-abi-shared-with-deps-2.3.1%2Bcu121.zip
RUN curl -fsSL "$LIBTORCH_URL" -o /tmp/libtorch.zip && unzip -q /tmp/libtorch.zip -d /opt && rm /tmp/libtorch.zip
# ChatPlatform.Torch builds its native shim against the libtorch that LIBTORCH_DIR names
ENV LIBTORCH_DIR=/opt/libtorch

FROM libtorch-${TORCH_VARIANT} AS build
WORKDIR /src
COPY . .
RUN ./scripts/setup.sh && dotnet publish src/ChatPlatform.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime-cpu
# Runtime libraries only: libtorch's shared objects come with libtorch-dev on Debian 12.
RUN apt-get update && apt-get install -y --no-install-recommends libtorch-dev libopenblas0-pthread poppler-utils \
    && rm -rf /var/lib/apt/lists/*

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime-cuda
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 poppler-utils \
    && rm -rf /var/lib/apt/lists/*
COPY --from=libtorch-cuda /opt/libtorch/lib /opt/libtorch/lib
ENV LD_LIBRARY_PATH=/opt/libtorch/lib
# the NVIDIA Container Toolkit mounts the driver's libraries when these ask for it
ENV NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility

FROM runtime-${TORCH_VARIANT}
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
VOLUME ["/data", "/models"]
ENTRYPOINT ["dotnet", "ChatPlatform.Web.dll"]
