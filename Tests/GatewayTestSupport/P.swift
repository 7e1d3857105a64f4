enum PGatewayTestSupport {}
