/// The API's contract, served at `/openapi.yaml`.
enum OpenAPIDocument {
    static let yaml = """
        openapi: 3.0.3
        info:
          title: SmartContent API
          version: 1.0.0
        paths: {}
        """
}
