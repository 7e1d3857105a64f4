enum PGatewayServerTests {}
