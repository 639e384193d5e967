resource "azurerm_role_assignment" "crlf" {
  scope                = var.scope
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.principal_id
  condition            = <<-EOT
    (
      @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'windows'
    )
  EOT
  condition_version    = "2.0"
}
