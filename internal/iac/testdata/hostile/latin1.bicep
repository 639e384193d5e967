resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  properties: {
    condition: 'Zürich'
  }
}
